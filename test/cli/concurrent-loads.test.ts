import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import type { SqlEngine } from '../../src/engines/engine.ts';
import { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { PgliteEngine } from '../../src/engines/pglite/pglite-engine.ts';
import { PostgresEngine } from '../../src/engines/postgres/postgres-engine.ts';
import { requireDataset, sample } from '../support/datasets.ts';
import { testKeyspace, withCassandraClient, type TestKeyspace } from '../support/cassandra.ts';
import { testDatabase } from '../support/postgres.ts';
import { runCli, type CliResult } from '../support/run-cli.ts';

/**
 * Several loads of one database started at once, each a process of its own as a user (or two overlapping cron jobs)
 * would start them: they take turns (README, "Concurrent loads"), so every one exits 0, or 1 with the documented
 * SPK_E_LOCKED, and the tables hold exactly what one load leaves, on a first load and on a re-load.
 */
const loaders = 3;
const tables = ['songplays', 'users', 'songs', 'artists', 'time'] as const;

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-concurrent-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Every row of every star table, in key order (the first column of each is its key). */
async function contents(engine: SqlEngine): Promise<Record<string, unknown[]>> {
  try {
    const out: Record<string, unknown[]> = {};
    for (const table of tables) out[table] = await engine.query(`SELECT * FROM ${table} ORDER BY 1`);
    return out;
  } finally {
    await engine.close();
  }
}

async function atOnce(args: readonly string[]): Promise<CliResult[]> {
  return Promise.all(Array.from({ length: loaders }, () => runCli(args)));
}

function assertTookTurns(results: readonly CliResult[]): void {
  for (const r of results) {
    if (r.code === 0) continue;
    assert.equal(r.code, 1, `exit ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, /SPK_E_LOCKED/, r.stderr);
  }
  assert.ok(results.some((r) => r.code === 0), results.map((r) => r.stderr).join('\n'));
}

/** One load alone, then `loaders` at once on a fresh database, then `loaders` at once again (re-loads). */
async function raceLoads(t: TestContext, args: (target: string) => string[], alone: string, raced: string, open: (target: string) => Promise<SqlEngine>): Promise<void> {
  const single = await runCli(args(alone));
  assert.equal(single.code, 0, single.stderr);
  const expected = await contents(await open(alone));
  assert.equal(expected.songplays?.length, 6820);
  const waited: boolean[] = [];
  for (const round of ['first loads', 're-loads']) {
    await t.test(round, async () => {
      const results = await atOnce(args(raced));
      assertTookTurns(results);
      waited.push(...results.map((r) => /waiting for it to finish/.test(r.stderr)));
      assert.deepEqual(await contents(await open(raced)), expected);
    });
  }
  // The loads did overlap (a loader that waited says so once on stderr): the race above was a race.
  assert.ok(waited.some(Boolean), 'no loader waited for another');
}

describe('etl postgres, several at once', () => {
  const etl = (db: string, dataDir: string) => ['etl', 'postgres', '--songs', sample.songs, '--logs', sample.logs, '--db', db, '--data-dir', dataDir, '--no-progress', '--json'];

  test('into one PGlite directory', async (t) => {
    if (!requireDataset(t, sample.songs)) return;
    const dir = await tempDir(t);
    await raceLoads(t, (db) => etl(db, dir), join(dir, 'alone'), join(dir, 'raced'), (db) => PgliteEngine.open(db));
  });

  test('into one Postgres database', async (t) => {
    if (!requireDataset(t, sample.songs)) return;
    const alone = await testDatabase(t, 'concurrent_alone');
    const raced = await testDatabase(t, 'concurrent_raced');
    if (!alone || !raced) return;
    const dir = await tempDir(t);
    await raceLoads(t, (db) => etl(db, dir), alone.url, raced.url, async (url) => new PostgresEngine({ connectionString: url }));
  });
});

describe('warehouse load, several at once', () => {
  test('into one DuckDB file', async (t) => {
    if (!requireDataset(t, sample.root)) return;
    const dir = await tempDir(t);
    const args = (db: string) => ['warehouse', 'load', '--from', sample.root, '--db', db, '--data-dir', dir, '--no-progress', '--json'];
    await raceLoads(t, args, join(dir, 'alone.duckdb'), join(dir, 'raced.duckdb'), (path) => DuckDbEngine.open({ path }));
  });

  test('into one Postgres database', async (t) => {
    if (!requireDataset(t, sample.root)) return;
    const alone = await testDatabase(t, 'concurrent_wh_alone');
    const raced = await testDatabase(t, 'concurrent_wh_raced');
    if (!alone || !raced) return;
    const dir = await tempDir(t);
    const args = (db: string) => ['warehouse', 'load', '--target', 'postgres', '--from', sample.root, '--db', db, '--data-dir', dir, '--no-progress', '--json'];
    await raceLoads(t, args, alone.url, raced.url, async (url) => new PostgresEngine({ connectionString: url }));
  });
});

/** Every row of every query table of a keyspace, as sorted JSON lines (Cassandra keeps no order across partitions). */
async function keyspaceContents(ks: TestKeyspace): Promise<Record<string, string[]>> {
  return withCassandraClient(ks.contactPoint, ks.localDataCenter, async (client) => {
    const out: Record<string, string[]> = {};
    for (const table of ['session_songs', 'user_session_songs', 'user_sessions', 'song_listeners', 'artist_listeners']) {
      const result = await client.execute(`SELECT JSON * FROM ${ks.keyspace}.${table}`, [], { fetchSize: 1_000_000 });
      out[table] = result.rows.map((r) => String(r['[json]'])).sort();
    }
    return out;
  });
}

// No lock here, on purpose: a Cassandra load is CREATE … IF NOT EXISTS and plain INSERTs keyed by each play's natural
// key (upserts), so loads at once of the same input write the same cells with the same values, as one load would.
test('cassandra load, several at once into one keyspace, leave what one load leaves (idempotent upserts, no lock)', async (t) => {
  if (!requireDataset(t, sample.logs)) return;
  const alone = await testKeyspace(t, { name: 'concurrent_alone', create: false });
  const raced = await testKeyspace(t, { name: 'concurrent_raced', create: false });
  if (!alone || !raced) return;
  const dir = await tempDir(t);
  const args = (ks: TestKeyspace) => ['cassandra', 'load', '--logs', sample.logs, '--contact-points', ks.contactPoint, '--local-dc', ks.localDataCenter,
    '--keyspace', ks.keyspace, '--data-dir', dir, '--no-progress', '--json'];
  const single = await runCli(args(alone));
  assert.equal(single.code, 0, single.stderr);
  const expected = await keyspaceContents(alone);
  assert.equal(expected.session_songs?.length, 6820);
  for (const round of ['first loads (the keyspace and tables created at once)', 're-loads']) {
    await t.test(round, async () => {
      for (const r of await atOnce(args(raced))) assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await keyspaceContents(raced), expected);
    });
  }
});
