import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import pg from 'pg';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import type { SqlEngine, SqlSession } from '../../../src/engines/engine.ts';
import { PostgresEngine } from '../../../src/engines/postgres/postgres-engine.ts';
import { applyStarLoad } from '../../../src/pipelines/star-load/apply-star-load.ts';
import { planStarLoad } from '../../../src/pipelines/star-load/star-plan.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { tableChecksums } from '../../support/engines.ts';
import { testDatabase } from '../../support/postgres.ts';

// On a server a first load builds `time` on a second connection, beside the fact table, and puts it in place before
// its commit (src/fastpath/star-load/time-beside.ts, 02-time-beside.sql). These tests hold it to the single-connection path and to
// the load's promise: a failed load leaves nothing of it behind.

const orderBy = { songplays: 'songplay_id', users: 'user_id', songs: 'song_id', artists: 'artist_id', time: 'start_time' };
const lockKey = 1397771083;

/** A database on the test server, with an engine (pool of `max` connections) closed at the test's end. */
async function server(t: TestContext, max?: number): Promise<{ url: string; engine: PostgresEngine } | undefined> {
  const db = await testDatabase(t);
  if (db === undefined) return undefined;
  const engine = new PostgresEngine(max === undefined ? { connectionString: db.url } : { connectionString: db.url, max });
  t.after(() => engine.close());
  return { url: db.url, engine };
}

/**
 * The engine, with the statements of each transaction seen by `watch` (given the transaction's number, 0 for the
 * load's own) before they run: it may throw to fail that one.
 */
function watched(engine: SqlEngine, watch: (transaction: number, sql: string) => void): { engine: SqlEngine; transactions: () => number } {
  let count = 0;
  const wrapped: SqlEngine = Object.create(engine, {
    transaction: {
      value: <T>(fn: (tx: SqlSession) => Promise<T>) => {
        const n = count++;
        return engine.transaction((tx) => fn({
          query: (sql, params) => (watch(n, sql), tx.query(sql, params)),
          exec: (sql) => (watch(n, sql), tx.exec(sql)),
          copyCsv: (table, columns, chunks, options) => (watch(n, `COPY ${table}`), tx.copyCsv(table, columns, chunks, options)),
        }));
      },
    },
  });
  return { engine: wrapped, transactions: () => count };
}

async function load(engine: SqlEngine): Promise<void> {
  const plan = await planStarLoad({ songsDir: sample.songs, logsDir: sample.logs, target: 'test', rejectsFile: '/dev/null' });
  await applyStarLoad(plan, engine, new MemoryQuarantine(), undefined, undefined, { workers: 0 });
}

/** Tables left by a load's second connection. */
async function besideTables(engine: SqlEngine): Promise<string[]> {
  const rows = await engine.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relname LIKE 'sparkify\\_time\\_%' ORDER BY relname");
  return rows.map((r) => r.relname);
}

/** What `time` is: its columns, types and NOT NULLs, its constraints and its indexes. */
async function definition(engine: SqlEngine): Promise<unknown> {
  return {
    columns: await engine.query("SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute WHERE attrelid = 'time'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"),
    constraints: await engine.query("SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'time'::regclass ORDER BY conname"),
    indexes: await engine.query("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'time' ORDER BY indexname"),
  };
}

describe('time built beside the fact table (a real PostgreSQL server)', () => {
  test('a first load builds it on a second connection: the same table as on one connection, nothing left over; a later load merges on one', async (t) => {
    if (!requireDataset(t, sample.logs)) return;
    const beside = await server(t);
    const alone = await server(t, 1);
    if (beside === undefined || alone === undefined) return;
    assert.equal(beside.engine.concurrentTransactions, true);
    assert.equal(alone.engine.concurrentTransactions, false);
    const seen = watched(beside.engine, () => undefined);
    await load(seen.engine);
    assert.equal(seen.transactions(), 2, 'the load and the one beside it');
    const single = watched(alone.engine, () => undefined);
    await load(single.engine);
    assert.equal(single.transactions(), 1);
    assert.deepEqual(await tableChecksums(beside.engine, orderBy), await tableChecksums(alone.engine, orderBy));
    assert.deepEqual(await definition(beside.engine), await definition(alone.engine));
    assert.deepEqual(await besideTables(beside.engine), []);
    const [{ n } = { n: 0 }] = await beside.engine.query<{ n: number }>('SELECT count(*)::int AS n FROM time');
    assert.equal(n, 6813);
    // time holds rows now: a second load stages and merges them in its own transaction.
    const again = watched(beside.engine, () => undefined);
    await load(again.engine);
    assert.equal(again.transactions(), 1);
    assert.deepEqual(await tableChecksums(beside.engine, orderBy), await tableChecksums(alone.engine, orderBy));
  });

  for (const when of ['after the table beside was committed', 'while the table beside was being built'] as const) {
    test(`a load that fails ${when} leaves no table, and no trace of itself`, async (t) => {
      if (!requireDataset(t, sample.logs)) return;
      const db = await server(t);
      if (db === undefined) return;
      const failing = watched(db.engine, (transaction, sql) => {
        // The swap runs once the other connection has committed; its key is built before it does.
        if (when === 'after the table beside was committed' ? transaction === 0 && sql.startsWith('SELECT pg_temp.time_beside_swap') : transaction === 1 && sql.startsWith('SELECT pg_temp.add_key_dropping_repeats')) {
          throw new Error('injected failure');
        }
      });
      await assert.rejects(load(failing.engine), /injected failure/);
      assert.equal(failing.transactions(), 2);
      assert.deepEqual(await besideTables(db.engine), []);
      assert.deepEqual(await db.engine.query("SELECT relname FROM pg_class WHERE relname IN ('songplays', 'users', 'songs', 'artists', 'time')"), []);
    });
  }

  test('without a second connection to be had (the role may open one), the load builds time on its own', async (t) => {
    if (!requireDataset(t, sample.logs)) return;
    const db = await testDatabase(t);
    const reference = await server(t, 1);
    if (db === undefined || reference === undefined) return;
    await load(reference.engine);
    const role = `sparkify_one_${db.name.replace(/[^a-z0-9_]/g, '').slice(-20)}`;
    const admin = new PostgresEngine({ connectionString: db.url, max: 1 });
    await admin.exec(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 1; GRANT ALL ON SCHEMA public TO ${role}`);
    // Roles belong to the whole server: this one goes before the test ends, and its tables with it.
    try {
      const url = new URL(db.url);
      url.username = role;
      const limited = new PostgresEngine({ connectionString: url.toString() });
      assert.equal(limited.concurrentTransactions, true);
      const seen = watched(limited, () => undefined);
      try {
        await load(seen.engine);
      } finally {
        await limited.close();
      }
      assert.equal(seen.transactions(), 2, 'a second transaction was tried');
      assert.deepEqual(await tableChecksums(admin, orderBy), await tableChecksums(reference.engine, orderBy));
      assert.deepEqual(await definition(admin), await definition(reference.engine));
      assert.deepEqual(await besideTables(admin), []);
    } finally {
      await admin.exec(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
      await admin.close();
    }
  });

  test('a table beside left by a dead load is dropped by the next first load; one of a live load is kept', async (t) => {
    if (!requireDataset(t, sample.logs)) return;
    const db = await server(t);
    if (db === undefined) return;
    await db.engine.exec('CREATE TABLE sparkify_time_000000000000 (start_time timestamp); CREATE TABLE sparkify_time_111111111111 (start_time timestamp)');
    // A live load holds its table's advisory lock for as long as its transaction runs.
    const live = new pg.Client({ connectionString: db.url });
    await live.connect();
    try {
      await live.query('BEGIN');
      await live.query(`SELECT pg_advisory_xact_lock(${lockKey}, hashtext('sparkify_time_111111111111'))`);
      await load(db.engine);
      assert.deepEqual(await besideTables(db.engine), ['sparkify_time_111111111111']);
      await live.query('ROLLBACK');
    } finally {
      await live.end();
    }
  });
});
