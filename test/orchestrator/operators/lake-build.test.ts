import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dag } from '../../../src/orchestrator/dag/index.ts';
import { LakeBuild } from '../../../src/orchestrator/operators/index.ts';
import { sparkRemoteOf } from '../../../src/orchestrator/operators/lake-build.ts';
import { parseSparkRemote } from '../../../src/engines/spark/spark-remote.ts';
import { testSparkRemote } from '../../support/spark.ts';
import { simulate } from '../../../src/simulator/simulate.ts';
import { lakeFiles, lakeSums } from '../../pipelines/lake/lake-fixtures.ts';
import { contextFor } from './make-context.ts';

test('LakeBuild runs the lake job for the run\'s data interval: a full build, then a daily run rewrites only its month', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-lake-operator-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await simulate({ outDir: join(dir, 'data'), users: 80, days: 3, songs: 120, seed: 3, start: new Date('2018-10-31T00:00:00Z') });
  const connections = { data: { conn_type: 'fs', extra: { path: join(dir, 'data') } }, lake: { conn_type: 'fs', extra: { path: dir } } };
  const d = dag({ id: 'lake', schedule: '@daily', start: '2018-10-31' });
  const full = new LakeBuild(d, 'full', { storageConnId: 'data', lakeConnId: 'lake', output: 'lake', scope: 'full' });
  const first = await full.execute(await contextFor(full, { connections })) as { tables: { table: string }[]; sources: { read: number; loaded: number; quarantined: number; filtered: number; duplicates: number }[] };
  assert.deepEqual(first.tables.map((x) => x.table), ['songs', 'artists', 'users', 'time', 'songplays']);
  assert.ok(first.sources.every((s) => s.read === s.loaded + s.quarantined + s.filtered + s.duplicates));
  const sums = await lakeSums(join(dir, 'lake'));
  const before = lakeFiles(join(dir, 'lake')).filter((f) => f.endsWith('.parquet'));

  const daily = new LakeBuild(d, 'daily', { storageConnId: 'data', lakeConnId: 'lake', output: 'lake' });
  const context = await contextFor(daily, { connections, start: new Date('2018-11-01T00:00:00Z'), end: new Date('2018-11-02T00:00:00Z') });
  const run = await daily.execute(context) as { tables: { table: string }[] };
  assert.deepEqual(run.tables.map((x) => x.table), ['time', 'songplays']);
  assert.ok(context.lines.some((l) => l.includes('months 2018-11')));
  const afterFiles = lakeFiles(join(dir, 'lake')).filter((f) => f.endsWith('.parquet'));
  const november = (f: string) => f.includes('/year=2018/month=11/');
  assert.deepEqual(afterFiles.filter((f) => !november(f)), before.filter((f) => !november(f)));
  assert.notDeepEqual(afterFiles.filter(november), before.filter(november));
  assert.deepEqual((await lakeSums(join(dir, 'lake'))).tables, sums.tables);
  assert.deepEqual(daily.outlets.map((o) => o.name), [`${join(dir, 'lake')}/time`, `${join(dir, 'lake')}/songplays`]);
});

test('LakeBuild on Spark through a spark_connect connection: the daily run\'s month, the same tables as on DuckDB', async (t) => {
  const remote = testSparkRemote(t);
  if (!remote) return;
  const { host, port } = parseSparkRemote(remote);
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-lake-operator-spark-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await simulate({ outDir: join(dir, 'data'), users: 40, days: 2, songs: 80, seed: 4, start: new Date('2018-10-31T00:00:00Z') });
  const connections = { data: { conn_type: 'fs', extra: { path: join(dir, 'data') } }, lake: { conn_type: 'fs', extra: { path: dir } },
    spark: { conn_type: 'spark_connect', host, port } };
  const d = dag({ id: 'lake_spark', schedule: '@daily', start: '2018-10-31' });
  const interval = { start: new Date('2018-11-01T00:00:00Z'), end: new Date('2018-11-02T00:00:00Z') };
  const onDuck = new LakeBuild(d, 'duck', { storageConnId: 'data', lakeConnId: 'lake', output: 'duck' });
  await onDuck.execute(await contextFor(onDuck, { connections, ...interval }));
  const onSpark = new LakeBuild(d, 'spark', { storageConnId: 'data', lakeConnId: 'lake', output: 'spark', engine: 'spark', sparkConnId: 'spark' });
  const run = await onSpark.execute(await contextFor(onSpark, { connections, ...interval })) as { tables: { table: string; rows: number }[] };
  assert.deepEqual(run.tables.map((x) => x.table), ['time', 'songplays']);
  assert.ok((run.tables[1]?.rows ?? 0) > 0);
  assert.deepEqual((await lakeSums(join(dir, 'spark'))).tables, (await lakeSums(join(dir, 'duck'))).tables);
});

test('a spark_connect connection as an address: host and port, a whole sc:// host, or the default port', () => {
  assert.equal(sparkRemoteOf({ conn_type: 'spark_connect', host: 'spark.internal', port: 15010 }), 'sc://spark.internal:15010');
  assert.equal(sparkRemoteOf({ conn_type: 'spark_connect', host: 'spark.internal' }), 'sc://spark.internal:15002');
  assert.equal(sparkRemoteOf({ conn_type: 'spark_connect', host: 'sc://10.0.0.5:15003/;user_id=etl' }), 'sc://10.0.0.5:15003/;user_id=etl');
  assert.throws(() => sparkRemoteOf({ conn_type: 'spark_connect' }), /no host/);
});
