import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { SparkifyError } from '../../src/core/errors.ts';
import { openCqlEngine } from '../../src/engines/open-cql-engine.ts';
import { cassandraConfigFor, testKeyspace } from '../support/cassandra.ts';

/**
 * A loopback TCP proxy in front of the real node that can stop passing the node's answers on (the requests still
 * arrive), which is how a request times out for a client. Counts the CQL requests it forwards, by opcode.
 */
async function blackholeProxy(t: TestContext, target: string): Promise<{ port: number; mute(): void; requests(opcode: number): number }> {
  const [host, port] = target.split(':') as [string, string];
  let muted = false;
  const seen = new Map<number, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host, port: Number(port) });
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      // Protocol v4 frames: version, flags, stream (2), opcode, body length (4), body.
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 9 && pending.length >= 9 + pending.readUInt32BE(5)) {
        if (muted) seen.set(pending[4] as number, (seen.get(pending[4] as number) ?? 0) + 1);
        pending = pending.subarray(9 + pending.readUInt32BE(5));
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!muted) client.write(chunk);
    });
    for (const s of [client, upstream]) s.on('error', () => undefined).on('close', () => (client.destroy(), upstream.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    mute: () => (muted = true),
    requests: (opcode) => seen.get(opcode) ?? 0,
  };
}

const EXECUTE = 0x0a;

test('a write that keeps timing out is retried, then fails with a clear, retryable error', async (t) => {
  const ks = await testKeyspace(t);
  if (!ks) return;
  const proxy = await blackholeProxy(t, ks.contactPoint);
  const engine = await openCqlEngine(cassandraConfigFor(ks, { contactPoints: `127.0.0.1:${proxy.port}`, retries: 2, timeoutMs: 300 }));
  t.after(() => engine.close());
  await engine.useKeyspace();
  await engine.schema('CREATE TABLE plays (id int PRIMARY KEY, song text)');
  await engine.writeAll([{ query: 'INSERT INTO plays (id, song) VALUES (?, ?)', params: [1, 'prepared while the link works'] }]);
  proxy.mute();
  const failure = await engine.writeAll([{ query: 'INSERT INTO plays (id, song) VALUES (?, ?)', params: [2, 'lost'] }]).then(
    () => assert.fail('the write should have timed out'), (e: unknown) => e);
  assert.ok(failure instanceof SparkifyError);
  assert.equal(failure.code, 'SPK_E_ENGINE');
  assert.equal(failure.retryable, true);
  assert.match(failure.message, /writing INSERT INTO plays \(id, song\) VALUES \(\?, \?\): gave up after 3 attempts \(2 retries\)/);
  assert.match(failure.message, /run the same command again/);
  assert.equal(proxy.requests(EXECUTE), 3);
});

test('reads through the real node: bound values, every page, counts as numbers', async (t) => {
  const ks = await testKeyspace(t);
  if (!ks) return;
  const engine = await openCqlEngine(cassandraConfigFor(ks));
  t.after(() => engine.close());
  await engine.useKeyspace();
  await engine.schema('CREATE TABLE hits (p text, c int, PRIMARY KEY ((p), c))');
  await engine.writeAll(Array.from({ length: 5_500 }, (_, c) => ({ query: 'INSERT INTO hits (p, c) VALUES (?, ?)', params: ["it's", c] })));
  const rows = await engine.query('SELECT c FROM hits WHERE p = ?', ["it's"]);
  assert.equal(rows.length, 5_500);
  assert.deepEqual(await engine.query('SELECT count(*) AS n FROM hits WHERE p = ?', ["it's"]), [{ n: 5_500 }]);
});

test('a missing keyspace and an unreachable cluster are clear errors', async (t) => {
  const ks = await testKeyspace(t, { create: false });
  if (!ks) return;
  const engine = await openCqlEngine(cassandraConfigFor(ks));
  t.after(() => engine.close());
  await assert.rejects(engine.useKeyspace(), new RegExp(`SPK_E_ENGINE: keyspace ${ks.keyspace} does not exist on .*load data first`));
  // A port nothing listens on (the proxy's, closed again).
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  const port = typeof address === 'object' && address ? address.port : 1;
  await assert.rejects(openCqlEngine(cassandraConfigFor(ks, { contactPoints: `127.0.0.1:${port}` })),
    (e: unknown) => e instanceof SparkifyError && /^SPK_E_CONNECTION: connecting to cassandra 127\.0\.0\.1:\d+ .*: no Cassandra host available/.test(e.message));
});
