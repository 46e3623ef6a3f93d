import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { dag } from '../../../src/orchestrator/dag/index.ts';
import { CassandraLoad, DataQuality, defaultConnection, EtlPostgres, hookConnection, Sql, WarehouseLoad } from '../../../src/orchestrator/operators/index.ts';
import { DailyPlaysReport } from '../../../dags/_plugins/daily-plays-report.ts';
import { testKeyspace } from '../../support/cassandra.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { contextFor } from './make-context.ts';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-operators-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const d = (id: string) => dag({ id, schedule: '@daily', start: '2018-11-01' });

test('Sql (templated statements in one transaction, rows as JSON) and DataQuality listing every failed check, every result logged', async (t) => {
  const dir = await tempDir(t);
  const connections = { w: { conn_type: 'duckdb', host: join(dir, 'w.duckdb') } };
  const setup = new Sql(d('sql'), 'setup', {
    connId: 'w', returnRows: true,
    sql: ['CREATE TABLE runs (day DATE, n BIGINT)', "INSERT INTO runs VALUES (DATE '{{ ds }}', 2), (DATE '{{ ds | ds_add: 1 }}', 9007199254740993)", 'SELECT day, n FROM runs ORDER BY day'],
  });
  assert.deepEqual(await setup.execute(await contextFor(setup, { connections })), [{ day: '2018-11-05T00:00:00.000Z', n: 2 }, { day: '2018-11-06T00:00:00.000Z', n: '9007199254740993' }]);
  // All or nothing: a failing statement takes the ones before it back.
  const failing = new Sql(d('sql2'), 'fails', { connId: 'w', sql: ["INSERT INTO runs VALUES (DATE '2018-12-01', 1)", 'SELECT * FROM nowhere'] });
  await assert.rejects(failing.execute(await contextFor(failing, { connections })), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_ENGINE');
  const count = new Sql(d('sql3'), 'count', { connId: 'w', sql: 'SELECT count(*) AS n FROM runs', returnRows: true });
  assert.deepEqual(await count.execute(await contextFor(count, { connections })), [{ n: 2 }]);
  const quality = new DataQuality(d('dq'), 'checks', {
    warehouseConnId: 'w', tables: ['runs'],
    checks: [
      { name: 'one row for the day', sql: "SELECT count(*) FROM runs WHERE day = DATE '{{ ds }}'", expect: { equals: 1 } },
      { name: 'no negative counts', sql: 'SELECT * FROM runs WHERE n < 0', expect: 'no rows' },
      { name: 'two days at most', sql: 'SELECT count(*) FROM runs', expect: { op: '<', value: 2 } },
      { name: 'a missing table', sql: 'SELECT count(*) FROM nowhere', expect: 'not empty' },
    ],
  });
  assert.deepEqual(quality.inlets, [{ kind: 'table', name: 'runs' }]);
  const context = await contextFor(quality, { connections });
  await assert.rejects(quality.execute(context), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_QUALITY' &&
    /2 of 4 data quality checks failed: two days at most \(expected < 2, got 2\); a missing table \(the query failed/.test(e.message));
  assert.deepEqual(context.lines.map((l) => l.split(':')[0]), ['passed', 'passed', 'FAILED', 'FAILED']);
  // Passing checks: every result is the task's result.
  const passing = new DataQuality(d('dq2'), 'checks', { warehouseConnId: 'w', checks: [{ name: 'rows', sql: 'SELECT count(*) FROM runs', expect: { between: [1, 2] } }] });
  assert.deepEqual(await passing.execute(await contextFor(passing, { connections })), [{ name: 'rows', sql: 'SELECT count(*) FROM runs', expect: { between: [1, 2] }, value: 2, passed: true }]);
  // A bad check is the DAG file's error, when it loads.
  assert.throws(() => new DataQuality(d('dq3'), 'bad', { warehouseConnId: 'w', checks: [{ name: 'x', sql: 'SELECT 1', expect: { between: [2, 1] } }] }), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_CONFIG');
});

test('connections: the metadata database\'s first, else the built-in defaults under the data directory, else SPK_E_NOT_FOUND', async () => {
  const context = await contextFor(new Sql(d('c'), 'c', { connId: 'x', sql: 'SELECT 1' }), { connections: { sparkify_warehouse: { conn_type: 'postgres', host: 'db' } } });
  assert.equal((await hookConnection(context, 'sparkify_warehouse')).conn_type, 'postgres');
  assert.deepEqual(await hookConnection(context, 'sparkify_data'), defaultConnection('sparkify_data'));
  assert.deepEqual(defaultConnection('sparkify_warehouse', '/data'), { conn_type: 'duckdb', host: '/data/warehouse.duckdb' });
  await assert.rejects(hookConnection(context, 'nope'), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_NOT_FOUND');
});

test('the platform\'s jobs as tasks: WarehouseLoad (DuckDB) and EtlPostgres (PGlite) load the course sample as their CLI commands do', async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const dir = await tempDir(t);
  const connections = { w: { conn_type: 'duckdb', host: join(dir, 'w.duckdb') }, data: { conn_type: 'fs', extra: { path: sample.root } }, db: { conn_type: 'pglite', host: join(dir, 'pglite') } };
  const load = new WarehouseLoad(d('wl'), 'load', { warehouseConnId: 'w', storageConnId: 'data', eventsFormat: 'log_json_path.json' });
  const loaded = await load.execute(await contextFor(load, { connections })) as { tables: { table: string; rows: number }[]; rejected: number };
  const rows = Object.fromEntries(loaded.tables.map((r) => [r.table, r.rows]));
  assert.deepEqual([rows['staging_events'], rows['staging_songs'], loaded.rejected], [8056, 71, 0]);
  assert.ok((rows['songplays'] ?? 0) > 0);
  assert.deepEqual(load.inlets, [{ kind: 'objects', name: `${sample.root}/song_data` }, { kind: 'objects', name: `${sample.root}/log_data` }]);

  const etl = new EtlPostgres(d('etl'), 'etl', { dbConnId: 'db', dataConnId: 'data', rejectsFile: join(dir, 'rejects.ndjson') });
  const star = await etl.execute(await contextFor(etl, { connections }));
  const starRows = Object.fromEntries(star.tables.map((r) => [r.table, r.rows]));
  // The same sample, the same rules: the star schema's tables hold what the warehouse's do.
  for (const table of ['songplays', 'users', 'songs', 'artists', 'time']) assert.equal(starRows[table], rows[table], table);

  // The example DAG's custom operator and hook (dags/_plugins/): the day's plays by level, as a file.
  const report = new DailyPlaysReport(d('report'), 'report', { warehouseConnId: 'w', reportsConnId: 'reports', name: 'plays/{{ ds }}.json' });
  const byLevel = await report.execute(await contextFor(report, { start: new Date('2018-11-05T00:00:00Z'), end: new Date('2018-11-06T00:00:00Z'), connections: { ...connections, reports: { conn_type: 'fs', extra: { path: dir } } } }));
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'plays', '2018-11-05.json'), 'utf8')), { day: '2018-11-05', byLevel });
  assert.ok(byLevel.length > 0 && byLevel.every((r) => r.plays > 0));
});

test('CassandraLoad: `cassandra load` as a task writes every play of the course\'s event CSV files', async (t) => {
  if (!requireDataset(t, sample.events)) return;
  const ks = await testKeyspace(t, { create: false });
  if (!ks) return;
  const dir = await tempDir(t);
  const connections = {
    c: { conn_type: 'cassandra', host: ks.contactPoint, schema: ks.keyspace, extra: { local_dc: ks.localDataCenter, replication: 'SimpleStrategy:1' } },
    data: { conn_type: 'fs', extra: { path: sample.root } },
  };
  const load = new CassandraLoad(d('cl'), 'load', { cassandraConnId: 'c', dataConnId: 'data', rejectsFile: join(dir, 'rejects.ndjson') });
  const r = await load.execute(await contextFor(load, { connections })) as { source: { read: number; loaded: number }; tables: { table: string; rows: number }[] };
  assert.ok(r.source.loaded > 0);
  assert.equal(r.tables.length, 5);
  assert.ok(r.tables.every((x) => x.rows > 0), JSON.stringify(r.tables));
});
