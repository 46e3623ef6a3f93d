import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dag } from '../../../src/orchestrator/dag/index.ts';
import { LakeBuild } from '../../../src/orchestrator/operators/index.ts';
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
