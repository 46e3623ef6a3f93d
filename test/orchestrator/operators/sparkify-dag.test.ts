import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { serializeDag } from '../../../src/orchestrator/dag/index.ts';
import { processDagFolder } from '../../../src/orchestrator/dag-processor/index.ts';
import { topologicalOrder } from '../../../src/orchestrator/scheduler/topological-order.ts';
import { hourlyIntervals } from '../../../src/pipelines/warehouse-intervals/data-interval.ts';
import { loadDimension, loadFact } from '../../../src/pipelines/warehouse-intervals/load-star.ts';
import { runQualityChecks } from '../../../src/pipelines/warehouse-intervals/quality-checks.ts';
import { stageEvents } from '../../../src/pipelines/warehouse-intervals/stage-events.ts';
import { stageSongs } from '../../../src/pipelines/warehouse-intervals/stage-songs.ts';
import { tableChecksums } from '../../../src/pipelines/warehouse/table-checksums.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import { sparkify } from '../../../dags/sparkify.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { testDatabase } from '../../support/postgres.ts';
import { contextFor } from './make-context.ts';

const dagsFolder = resolve(import.meta.dirname, '..', '..', '..', 'dags');
const tables = ['songplays', 'users', 'songs', 'artists', 'time', 'staging_events', 'staging_songs'];
const open = (l: Parameters<typeof openStore>[0]) => openStore(l, { region: 'us-east-1' });
// Hours of 2018-11-05 with and without plays, and one run repeated (a retry replaces exactly its hour).
const hours = [...hourlyIntervals(new Date('2018-11-05T10:00:00Z'), new Date('2018-11-05T16:00:00Z')), ...hourlyIntervals(new Date('2018-11-05T12:00:00Z'), new Date('2018-11-05T13:00:00Z'))];

describe('dags/ as the DAG processor sees it', () => {
  test('no import errors; sparkify\'s serialised shape: the course\'s graph, hourly from 2018-11-01, catchup, 3 retries 5 min apart', async () => {
    const scan = await processDagFolder({ folder: dagsFolder });
    assert.deepEqual(scan.importErrors, []);
    // Helpers under _plugins/ are not DAG files.
    assert.deepEqual(scan.parsed, ['daily_plays_report.ts', 'sparkify.ts']);
    assert.deepEqual(scan.dags.map((v) => v.dag.id), ['daily_plays_report', 'sparkify']);
    const s = scan.dags.find((v) => v.dag.id === 'sparkify')!.dag;
    assert.deepEqual([s.schedule, s.start, s.end, s.catchup, s.timezone], [{ kind: 'cron', expression: '0 * * * *' }, '2018-11-01T00:00:00.000Z', null, true, 'UTC']);
    assert.deepEqual(Object.fromEntries(s.tasks.map((t) => [t.id, [t.operator, ...t.upstream]])), {
      Begin: ['Empty'],
      Stage_events: ['StageToWarehouse', 'Begin'],
      Stage_songs: ['StageToWarehouse', 'Begin'],
      Load_songplays_fact: ['LoadFact', 'Stage_events', 'Stage_songs'],
      Load_artist_dim: ['LoadDimension', 'Load_songplays_fact'],
      Load_song_dim: ['LoadDimension', 'Load_songplays_fact'],
      Load_time_dim: ['LoadDimension', 'Load_songplays_fact'],
      Load_user_dim: ['LoadDimension', 'Load_songplays_fact'],
      Run_data_quality_checks: ['DataQuality', 'Load_artist_dim', 'Load_song_dim', 'Load_time_dim', 'Load_user_dim'],
      End: ['Empty', 'Run_data_quality_checks'],
    });
    for (const t of s.tasks) assert.deepEqual([t.retries, t.retryDelayMs, t.dependsOnPast, t.triggerRule], [3, 300_000, false, 'all_success'], t.id);
    const task = (id: string) => s.tasks.find((t) => t.id === id)!;
    assert.deepEqual(task('Stage_events').templateFields, ['format', 'key', 'storageConnId', 'warehouseConnId']);
    assert.equal(task('Stage_events').params['key'], "log_data/{{ logical_date | date: '%Y/%m' }}/{{ ds }}-events.json");
    // Lineage as `sparkify lineage songplays` follows it: log_data → Stage_events → staging_events → Load_songplays_fact → songplays.
    assert.deepEqual([task('Stage_events').inlets, task('Stage_events').outlets], [[{ kind: 'objects', name: 'log_data/' }], [{ kind: 'table', name: 'staging_events' }]]);
    assert.deepEqual([task('Load_songplays_fact').inlets, task('Load_songplays_fact').outlets],
      [[{ kind: 'table', name: 'staging_events' }, { kind: 'table', name: 'staging_songs' }], [{ kind: 'table', name: 'songplays' }]]);
    // The child's bytes are this process's: the file serialises alike wherever it is loaded.
    assert.equal(scan.dags.find((v) => v.dag.id === 'sparkify')!.hash, serializeDag(sparkify, { file: 'sparkify.ts' }).hash);
  });
});

/** The interval pipeline's own steps for the same hours, in the DAG's order and modes (test/pipelines/warehouse-intervals). */
async function expected(engine: SqlEngine): Promise<unknown> {
  await stageSongs(engine, { from: sample.root, key: 'song_data', format: 'auto', open, loadId: 'songs' });
  for (const interval of hours) {
    const key = `log_data/2018/11/${interval.start.toISOString().slice(0, 10)}-events.json`;
    await stageEvents(engine, { interval, from: sample.root, key, format: sample.jsonPaths, open, loadId: 'events' });
    await loadFact(engine, interval);
    for (const [table, mode] of [['users', 'upsert'], ['songs', 'truncate-insert'], ['artists', 'truncate-insert'], ['time', 'upsert']] as const) {
      await loadDimension(engine, { table, mode, interval });
    }
  }
  return tableChecksums(engine, tables);
}

describe('dags/sparkify.ts, its tasks executed in topological order for a few hours of the course sample', () => {
  const targets = [
    { name: 'duckdb', connection: async (t: import('node:test').TestContext) => {
      const dir = await mkdtemp(join(tmpdir(), 'sparkify-dag-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      return { conn_type: 'duckdb', host: join(dir, 'warehouse.duckdb') };
    } },
    { name: 'postgres', connection: async (t: import('node:test').TestContext) => {
      const db = await testDatabase(t);
      if (!db) return undefined;
      const u = new URL(db.url);
      return { conn_type: 'postgres', host: u.hostname, port: Number(u.port), login: decodeURIComponent(u.username), password: decodeURIComponent(u.password), schema: db.name };
    } },
  ];
  for (const target of targets) {
    test(`${target.name}: the tables equal the interval pipeline's for those hours`, async (t) => {
      if (!requireDataset(t, sample.root)) return;
      const warehouse = await target.connection(t);
      if (!warehouse) return;
      const connections = { sparkify_warehouse: warehouse, sparkify_data: { conn_type: 'fs', extra: { path: sample.root } } };
      const order = topologicalOrder(serializeDag(sparkify).dag.tasks).map((t) => sparkify.tasks.get(t.id)!);
      assert.deepEqual(order.map((t) => t.id).slice(0, 3), ['Begin', 'Stage_events', 'Stage_songs']);
      const results: Record<string, unknown> = {};
      for (const interval of hours) {
        for (const task of order) {
          // The course sample's jsonpaths file, named as a key of the data connection (a trigger's conf would do this).
          const context = await contextFor(task, { start: interval.start, end: interval.end, connections, runParams: { events_format: 'log_json_path.json' } });
          results[task.id] = await task.execute(context);
        }
      }
      const quality = results['Run_data_quality_checks'] as { name: string; passed: boolean }[];
      assert.deepEqual(quality.map((r) => [r.name, r.passed]), sparkify.tasks.get('Run_data_quality_checks')!.params['checks'].map((c: { name: string }) => [c.name, true]));
      const lastHour = results['Load_songplays_fact'] as { plays: number; rows: number };
      assert.ok(lastHour.plays > 0 && lastHour.rows > 0, 'the last hour (12:00, again) has plays');

      const reference = await DuckDbEngine.open({ threads: 1 });
      t.after(() => reference.close());
      const { WarehouseHook } = await import('../../../src/orchestrator/hooks/warehouse-hook.ts');
      const hook = new WarehouseHook(warehouse);
      try {
        const actual = await tableChecksums(await hook.engine(), tables);
        assert.deepEqual(actual, await expected(reference));
        assert.ok((actual as { rows: number }[]).every((c) => c.rows > 0), 'every table has rows');
      } finally {
        await hook.close();
      }
    });
  }
});
