import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import type { S3Config } from '../../../src/storage/s3/s3-config.ts';
import { applyWarehouseLoad } from '../../../src/pipelines/warehouse/apply-warehouse-load.ts';
import { tableChecksums } from '../../../src/pipelines/warehouse/table-checksums.ts';
import { formatWarehousePlan, planWarehouseLoad } from '../../../src/pipelines/warehouse/warehouse-plan.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { compileFastPaths } from '../../../src/cli/fast-paths-option.ts';
import { compileS3Config } from '../../../src/cli/s3-options.ts';
import { runCli } from '../../support/run-cli.ts';
import { bucketStore, testBucket } from '../../support/s3.ts';
import { freshWarehouse, warehouseTargets, type LocalTarget } from '../../support/warehouse.ts';

// The switch (--no-fast-paths, SPARKIFY_FAST_PATHS=off): each warehouse COPY's reference path (this thread, JSON.parse
// and the validators, the loader's CSV COPY, the SDK's GETs) and its fast paths stage and build the same tables.

const everyTable = ['songplays', 'users', 'songs', 'artists', 'time', 'staging_events', 'staging_songs'];

async function load(t: TestContext, target: LocalTarget, root: string, fastPaths: boolean, s3: S3Config = { region: 'us-east-1' }, workers?: number) {
  const engine = await freshWarehouse(t, target) as SqlEngine;
  const plan = planWarehouseLoad({ target, maxErrors: 0, songs: `${root}/song_data`, events: `${root}/log_data`, eventsFormat: `${root}/log_json_path.json`, fastPaths });
  const result = await applyWarehouseLoad(plan, engine, { open: (l) => openStore(l, s3), loadId: 'l', concurrency: 4, ...(workers === undefined ? {} : { workers }) });
  const [errors] = await engine.query<{ n: number }>('SELECT CAST(count(*) AS INTEGER) AS n FROM load_errors');
  return { plan, result, tables: await tableChecksums(engine, everyTable), errors: Number(errors?.n) };
}

function same(a: Awaited<ReturnType<typeof load>>, b: Awaited<ReturnType<typeof load>>): void {
  assert.deepEqual(a.tables, b.tables);
  assert.deepEqual(a.result.sources, b.result.sources);
  assert.equal(a.result.plays, b.result.plays);
  assert.equal(a.errors, b.errors);
}

test('with the fast paths off the plan names the reference path for every COPY, on DuckDB and Postgres', () => {
  for (const target of warehouseTargets) {
    const plan = planWarehouseLoad({ target, maxErrors: 0, songs: '/d/song_data', events: '/d/log_data', eventsFormat: 'auto', fastPaths: false });
    assert.deepEqual(plan.stage.map((s) => s.path), [{ direct: false, fast: false }, { direct: false, fast: false }]);
    const text = formatWarehousePlan(plan);
    assert.equal(text.match(/^-- {3}path: reference \(fast paths off\)/gm)?.length, 2);
    assert.doesNotMatch(text, /read_json/);
  }
  const on = planWarehouseLoad({ target: 'duckdb', maxErrors: 0, songs: '/d/song_data', events: '/d/log_data', eventsFormat: 'auto' });
  assert.deepEqual(on.stage.map((s) => s.path), [{ direct: true, fast: true }, { direct: true, fast: true }]);
  assert.deepEqual(planWarehouseLoad({ target: 'postgres', maxErrors: 0, songs: '/d', events: '/d', eventsFormat: 'auto' }).stage[0]?.path, { direct: false, fast: true });
  assert.equal(planWarehouseLoad({ target: 'redshift', maxErrors: 0, songs: 's3://bucket-x/s', events: 's3://bucket-x/l', eventsFormat: 'auto', iamRole: 'arn:aws:iam::123456789012:role/r' }).stage[0]?.path, undefined);
});

for (const target of warehouseTargets) {
  test(`${target}: the course sample from a directory loads the same with the fast paths off, on, and on with two workers`, async (t) => {
    if (!requireDataset(t, sample.jsonPaths)) return;
    if (target === 'postgres' && !(await freshWarehouse(t, target))) return;
    const off = await load(t, target, sample.root, false);
    assert.ok(off.result.reads.every((r) => r.path === 'converted' && r.declined === undefined), 'no direct read tried');
    assert.equal(off.tables.find((x) => x.table === 'songplays')?.rows, 6820);
    const on = await load(t, target, sample.root, true);
    if (target === 'duckdb') assert.ok(on.result.reads.every((r) => r.path === 'direct'), JSON.stringify(on.result.reads));
    same(on, off);
    same(await load(t, target, sample.root, true, undefined, 2), off);
    // The tests' knob is under the switch: workers asked for with the fast paths off start none (and load the same).
    same(await load(t, target, sample.root, false, undefined, 2), off);
  });
}

test('from S3 on DuckDB and Postgres: the same tables with the fast paths off (the SDK\'s GETs) and on', async (t) => {
  if (!requireDataset(t, sample.jsonPaths)) return;
  const bucket = await testBucket(t);
  if (!bucket) return;
  await bucketStore(t, bucket, { dir: sample.root, prefix: 'sample' });
  const remote = `${bucket.url}/sample`;
  const local = await load(t, 'duckdb', sample.root, false);
  for (const target of warehouseTargets) {
    if (target === 'postgres' && !(await freshWarehouse(t, target))) return;
    same(await load(t, target, remote, false, { ...bucket.config, signedGets: false }), local);
    same(await load(t, target, remote, true, bucket.config), local);
  }
});

test('the CLI: --no-fast-paths and SPARKIFY_FAST_PATHS=off print the reference path; another value exits 2', async () => {
  const args = ['warehouse', 'load', '--songs', '/d/song_data', '--logs', '/d/log_data', '--json-paths', 'auto', '--dry-run'];
  const byFlag = await runCli([...args, '--no-fast-paths']);
  assert.equal(byFlag.code, 0, byFlag.stderr);
  assert.match(byFlag.stdout, /path: reference \(fast paths off\)/);
  const byEnv = await runCli(args, { SPARKIFY_FAST_PATHS: 'off' });
  assert.equal(byEnv.stdout, byFlag.stdout);
  const on = await runCli(args, { SPARKIFY_FAST_PATHS: 'on' });
  assert.match(on.stdout, /path: fast/);
  const bad = await runCli(args, { SPARKIFY_FAST_PATHS: 'maybe' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /SPARKIFY_FAST_PATHS: must be on or off/);
  // The flag wins over the environment, and the switch over SPARKIFY_S3_PIPELINING: no signed GETs to pipeline.
  assert.equal(compileFastPaths(false, { SPARKIFY_FAST_PATHS: 'on' }), false);
  assert.equal(compileFastPaths(true, {}), true);
  assert.equal(compileS3Config({}, { SPARKIFY_S3_PIPELINING: '4' }, false).signedGets, false);
  assert.equal(compileS3Config({}, { SPARKIFY_S3_PIPELINING: '4' }, true).signedGets, undefined);
});
