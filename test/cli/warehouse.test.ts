import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { installedHttpfs } from '../../src/engines/duckdb/httpfs.ts';
import { requireDataset, sample } from '../support/datasets.ts';
import { runCli } from '../support/run-cli.ts';
import { testDatabase } from '../support/postgres.ts';
import { bucketStore, testBucket } from '../support/s3.ts';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-cli-warehouse-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('warehouse load --from a directory into the embedded DuckDB, then the reports', async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const dataDir = await tempDir(t);
  const load = await runCli(['warehouse', 'load', '--from', sample.root, '--data-dir', dataDir, '--json']);
  assert.equal(load.code, 0, load.stderr);
  const report = JSON.parse(load.stdout);
  assert.deepEqual(report.staging, [{ table: 'staging_events', rows: 8056 }, { table: 'staging_songs', rows: 71 }]);
  assert.deepEqual(report.tables.map((r: { rows: number }) => r.rows), [6820, 96, 71, 69, 6813]);
  assert.ok(report.sources.every((s: { reconciles: boolean }) => s.reconciles));
  assert.deepEqual(report.reads, [{ table: 'staging_songs', path: 'direct' }, { table: 'staging_events', path: 'direct' }]);
  assert.ok(existsSync(join(dataDir, 'warehouse.duckdb')));

  const olap = await runCli(['warehouse', 'report', '--data-dir', dataDir, '--json']);
  assert.equal(olap.code, 0, olap.stderr);
  const reports = JSON.parse(olap.stdout);
  assert.deepEqual(Object.keys(reports), ['rollup', 'drill-down', 'slice', 'dice', 'grouping-sets', 'cube', 'top-songs', 'top-artists', 'busiest-hours']);
  assert.deepEqual(reports.rollup.at(-1), { year: null, month: null, day: null, plays: 6820, users: 96 });
  assert.deepEqual(reports['top-songs'], [{ song: 'Setanta matins', artist: 'Elena', plays: 1 }]);

  const text = await runCli(['warehouse', 'report', '--data-dir', dataDir, '--only', 'slice', 'busiest-hours']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Slice: level = 'paid', by weekday/);
  assert.match(text.stdout, /│ hour │ plays │ users │/);
  assert.doesNotMatch(text.stdout, /Roll-up/);
});

test('warehouse load --from s3:// through the S3 server prints readable tables', async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const bucket = await testBucket(t);
  if (!bucket) return;
  await bucketStore(t, bucket, { dir: sample.root, prefix: 'udacity-dend' });
  const dataDir = await tempDir(t);
  const load = await runCli(['warehouse', 'load', '--from', `${bucket.url}/udacity-dend`, '--data-dir', dataDir, '--no-progress'], bucket.env);
  assert.equal(load.code, 0, load.stderr);
  // DuckDB reads S3 itself with its httpfs extension (npm test installs it; a failed install fails CI).
  const readBy = installedHttpfs() === undefined ? 'the loader' : 'DuckDB itself';
  assert.match(load.stdout, new RegExp(`│ staging_events │ +30 │ +8,056 │ +8,056 │ +0 │ +0 │ yes +│ ${readBy} +│`));
  assert.match(load.stdout, /│ songplays +│ 6,820 │/);
});

test('warehouse load reports the records loaded with a repair (a lone surrogate stored as U+FFFD), in text and --json', async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const dir = await tempDir(t);
  await mkdir(join(dir, 'songs'));
  await mkdir(join(dir, 'logs'));
  await writeFile(join(dir, 'songs', 'song.json'), '{"num_songs":1,"artist_id":"AR1","artist_latitude":null,"artist_longitude":null,"artist_location":"","artist_name":"A\\ud800","song_id":"SO1","title":"T","duration":200.5,"year":0}\n');
  await cp(join(sample.logs, '2018', '11', '2018-11-01-events.json'), join(dir, 'logs', 'events.json'));
  const args = ['warehouse', 'load', '--songs', join(dir, 'songs'), '--logs', join(dir, 'logs'), '--json-paths', sample.jsonPaths, '--no-progress'];
  const text = await runCli([...args, '--data-dir', join(dir, 'text')]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /│ table +│ objects │ read │ loaded │ rejected │ repaired │ reconciles │ read by +│/);
  assert.match(text.stdout, /│ staging_songs +│ +1 │ +1 │ +1 │ +0 │ +1 │ yes +│ the loader +│/);
  const json = await runCli([...args, '--data-dir', join(dir, 'json'), '--json', '--no-fast-paths']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout).sources.map((s: { source: string; repaired: number }) => [s.source, s.repaired]), [['staging_songs', 1], ['staging_events', 0]]);
});

test('warehouse load --dry-run prints the plan and touches nothing', async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const dataDir = await tempDir(t);
  const dry = await runCli(['warehouse', 'load', '--from', 's3://udacity-dend', '--data-dir', dataDir, '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^-- target: duckdb/);
  assert.match(dry.stdout, /-- COPY staging_events_load FROM 's3:\/\/udacity-dend\/log_data' JSON 's3:\/\/udacity-dend\/log_json_path.json' TIMEFORMAT 'epochmillisecs' MAXERROR 0/);
  assert.match(dry.stdout, /ALTER TABLE staging_events_load RENAME TO staging_events;/);
  assert.equal(existsSync(join(dataDir, 'warehouse.duckdb')), false);
});

test('warehouse: bad options are exit 2 with the flag named', async () => {
  const target = await runCli(['warehouse', 'load', '--from', '.', '--target', 'oracle']);
  assert.equal(target.code, 2);
  assert.match(target.stderr, /--target: must be one of duckdb, postgres/);
  const sources = await runCli(['warehouse', 'load', '--songs', 'x']);
  assert.equal(sources.code, 2);
  assert.match(sources.stderr, /--from: give --from, or both --songs and --logs/);
  const maxErrors = await runCli(['warehouse', 'load', '--from', '.', '--max-errors', '-1']);
  assert.equal(maxErrors.code, 2);
  assert.match(maxErrors.stderr, /--max-errors/);
  const pg = await runCli(['warehouse', 'load', '--from', '.', '--target', 'postgres']);
  assert.equal(pg.code, 2);
  assert.match(pg.stderr, /--db: the postgres target needs --db postgres:/);
});

test('warehouse load and report --target postgres on the PostgreSQL server', async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const db = await testDatabase(t);
  if (!db) return;
  const load = await runCli(['warehouse', 'load', '--from', sample.root, '--target', 'postgres', '--db', db.url, '--json']);
  assert.equal(load.code, 0, load.stderr);
  const report = JSON.parse(load.stdout);
  assert.match(report.target, /^postgres postgresql:\/\/postgres@127\.0\.0\.1:\d+\/t_warehouse_/);
  assert.deepEqual(report.tables.map((r: { rows: number }) => r.rows), [6820, 96, 71, 69, 6813]);
  const olap = await runCli(['warehouse', 'report', '--target', 'postgres', '--db', db.url, '--only', 'rollup', '--json']);
  assert.equal(olap.code, 0, olap.stderr);
  assert.deepEqual(JSON.parse(olap.stdout).rollup.at(-1), { year: null, month: null, day: null, plays: 6820, users: 96 });
});
