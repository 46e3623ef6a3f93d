import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startPostgres } from '../../scripts/servers/postgres-server.ts';
import type { NotificationHandlers, Notifications } from '../../src/engines/engine.ts';
import { PostgresEngine } from '../../src/engines/postgres/postgres-engine.ts';
import { pgAvailable, testDatabase } from '../support/postgres.ts';

/** What a listener's handlers saw, each kind awaitable: the next event of a kind resolves what waits for it. */
function recorder() {
  const seen = { notification: [] as [string, string][], listening: 0, error: [] as unknown[] };
  const waiting: { kind: keyof typeof seen; count: number; resolve: () => void }[] = [];
  const count = (kind: keyof typeof seen) => (kind === 'listening' ? seen.listening : seen[kind].length);
  const check = () => {
    for (const w of [...waiting]) if (count(w.kind) >= w.count) waiting.splice(waiting.indexOf(w), 1), w.resolve();
  };
  const handlers: NotificationHandlers = {
    notification: (channel, payload) => (seen.notification.push([channel, payload]), check()),
    listening: () => ((seen.listening += 1), check()),
    error: (error) => (seen.error.push(error), check()),
  };
  /** Resolves once `kind` has happened `n` times in all. */
  const reached = (kind: keyof typeof seen, n: number) => new Promise<void>((resolve) => (waiting.push({ kind, count: n, resolve }), check()));
  return { seen, handlers, reached };
}

test('LISTEN/NOTIFY on Postgres: notifications on the channels listened to, with their payloads; bad channel names refused', async (t) => {
  const db = await testDatabase(t);
  if (db === undefined) return;
  const engine = new PostgresEngine({ connectionString: db.url });
  t.after(() => engine.close());
  const notifications = engine.notifications as Notifications;
  const r = recorder();
  const listener = notifications.listen(['spk_a', 'spk_b'], r.handlers);
  t.after(() => listener.close());
  await r.reached('listening', 1);
  await notifications.notify('spk_other', 'not listened to');
  await notifications.notify('spk_a', `it's "quoted"; $1 -- not SQL`);
  await notifications.notify('spk_b', '');
  await r.reached('notification', 2);
  assert.deepEqual(r.seen.notification, [['spk_a', `it's "quoted"; $1 -- not SQL`], ['spk_b', '']]);
  // Sent in one transaction: delivered at its commit, not before (and not at all on a rollback).
  await engine.transaction(async (tx) => {
    await tx.query('SELECT pg_notify($1, $2)', ['spk_a', 'in a transaction']);
  });
  await r.reached('notification', 3);
  assert.deepEqual(r.seen.notification.at(-1), ['spk_a', 'in a transaction']);

  for (const bad of ['Upper', '1abc', 'a-b', 'a"; NOTIFY x; --', '', 'x'.repeat(64)]) {
    assert.throws(() => notifications.listen([bad], r.handlers), /SPK_E_CONFIG/, bad);
    await assert.rejects(notifications.notify(bad, ''), /SPK_E_CONFIG/, bad);
  }
  assert.equal(r.seen.listening, 1);
  assert.deepEqual(r.seen.error, []);
});

test('the listener survives its server restarting: it reports the loss once, connects again with backoff, LISTENs again', async (t) => {
  if (!pgAvailable()) {
    if (process.env.CI === 'true') throw new Error('PostgreSQL tests need SPARKIFY_TEST_PG_URL (run them with `npm test`)');
    t.skip('PostgreSQL tests need SPARKIFY_TEST_PG_URL (run them with `npm test`)');
    return;
  }
  // A private server: the shared test server is not ours to restart.
  const server = await startPostgres({ install: false });
  t.after(() => server.stop());
  const before = new PostgresEngine({ connectionString: server.url });
  const r = recorder();
  const listener = before.notifications.listen(['spk_wake'], r.handlers);
  t.after(() => listener.close());
  await r.reached('listening', 1);
  await before.notifications.notify('spk_wake', 'before');
  await r.reached('notification', 1);
  await before.close();

  // Down until the listener has seen its connection cut (the server's fast shutdown terminates it); its retries fail
  // meanwhile, and are not reported one by one.
  await server.restart(() => r.reached('error', 1));
  await r.reached('listening', 2);
  assert.equal(r.seen.error.length, 1, 'one report for the outage');
  assert.match(String(r.seen.error[0]), /SPK_E_CONNECTION/);
  const after = new PostgresEngine({ connectionString: server.url });
  t.after(() => after.close());
  await after.notifications.notify('spk_wake', 'after');
  await r.reached('notification', 2);
  assert.deepEqual(r.seen.notification, [['spk_wake', 'before'], ['spk_wake', 'after']]);

  // Closed: no more reconnections (the test would hang on its timer otherwise), and closing again is harmless.
  await listener.close();
  await listener.close();
});
