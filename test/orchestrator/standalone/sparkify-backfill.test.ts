import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { systemClock } from '../../../src/core/clock.ts';
import { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import { putConnection } from '../../../src/orchestrator/metadb/connections.ts';
import { listDagRuns, runStatesAt } from '../../../src/orchestrator/metadb/dag-runs.ts';
import { createBackfill, syncDagFolder } from '../../../src/orchestrator/scheduler-loop/index.ts';
import { runSchedulerWithExecutor } from '../../../src/orchestrator/standalone/scheduler-with-executor.ts';
import { hourlyIntervals } from '../../../src/pipelines/warehouse-intervals/data-interval.ts';
import { loadDimension, loadFact } from '../../../src/pipelines/warehouse-intervals/load-star.ts';
import { stageEvents } from '../../../src/pipelines/warehouse-intervals/stage-events.ts';
import { stageSongs } from '../../../src/pipelines/warehouse-intervals/stage-songs.ts';
import { tableChecksums } from '../../../src/pipelines/warehouse/table-checksums.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { metadb } from '../metadb/fixtures.ts';
import { testBox } from '../runner/runner-fixture.ts';

const dagsFolder = resolve(import.meta.dirname, '..', '..', '..', 'dags');
const tables = ['songplays', 'users', 'songs', 'artists', 'time', 'staging_songs'];
const open = (l: Parameters<typeof openStore>[0]) => openStore(l, { region: 'us-east-1' });
const day = { from: new Date('2018-11-15T00:00:00Z'), to: new Date('2018-11-16T00:00:00Z') };

/** The interval pipeline's own steps for the day's hours, with the DAG's settings (its default events format). */
async function expected(): Promise<unknown> {
  const engine = await DuckDbEngine.open({ threads: 1 });
  try {
    await stageSongs(engine, { from: sample.root, key: 'song_data', format: 'auto', open, loadId: 'songs' });
    for (const interval of hourlyIntervals(day.from, day.to)) {
      await stageEvents(engine, { interval, from: sample.root, key: 'log_data/2018/11/2018-11-15-events.json', format: 'auto ignorecase', open, loadId: interval.start.toISOString() });
      await loadFact(engine, interval);
      for (const [table, mode] of [['users', 'upsert'], ['songs', 'truncate-insert'], ['artists', 'truncate-insert'], ['time', 'upsert']] as const) {
        await loadDimension(engine, { table, mode, interval });
      }
    }
    return await tableChecksums(engine, tables);
  } finally {
    await engine.close();
  }
}

test('dags/sparkify.ts backfilled over one day of the course sample (24 hourly runs) through the scheduler and the local executor: the embedded DuckDB warehouse equals the interval pipeline', async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const engine = await metadb(t, 'pglite');
  if (!engine) return;
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-e2e-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const warehouse = join(dir, 'warehouse.duckdb');
  const none = { port: null, login: null, password: null, schema: null, description: null };
  await putConnection(engine, testBox, { connId: 'sparkify_warehouse', connType: 'duckdb', host: warehouse, extra: {}, ...none });
  await putConnection(engine, testBox, { connId: 'sparkify_data', connType: 'fs', host: null, extra: { path: sample.root }, ...none });
  // Paused at creation: the hourly catchup from 2018-11-01 stays off; a backfill runs anyway.
  const sync = await syncDagFolder(engine, systemClock, { folder: dagsFolder });
  assert.deepEqual(sync.newVersions.sort(), ['daily_plays_report', 'sparkify']);
  const plan = await engine.transaction((tx) => createBackfill(tx, { dagId: 'sparkify', from: day.from, to: new Date('2018-11-15T23:00:00Z'), reprocess: 'none', now: systemClock.now() }));
  assert.equal(plan.length, 24);
  const dates = plan.map((p) => p.logicalDate);

  const stop = new AbortController();
  const failures: string[] = [];
  const started = performance.now();
  await runSchedulerWithExecutor({
    engine, clock: systemClock, signal: stop.signal, idleMs: 30_000,
    onTick: async () => {
      const s = await runStatesAt(engine, 'sparkify', dates);
      if ((s.success ?? 0) + (s.failed ?? 0) === dates.length) stop.abort();
    },
    executor: {
      secrets: testBox, dagFolder: dagsFolder, parallelism: 4, logFlushMs: 100,
      onFinished: (c, o) => void (o.state === 'success' || failures.push(`${c.runId} ${c.taskId} try ${c.tryNumber}: ${o.state} ${o.error}`)),
    },
  });
  const seconds = (performance.now() - started) / 1000;
  t.diagnostic(`24 runs x 10 tasks in ${seconds.toFixed(1)} s (${(240 / seconds).toFixed(1)} tasks/s)`);
  assert.deepEqual(failures, [], 'no try failed');
  const runs = await listDagRuns(engine, 'sparkify', { limit: 100 });
  assert.deepEqual(runs.map((r) => [r.runType, r.state]), dates.map(() => ['backfill', 'success']));
  const [quality] = await engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_task_instance WHERE dag_id = 'sparkify' AND task_id = 'Run_data_quality_checks' AND state = 'success'`);
  assert.equal(quality?.n, 24, 'quality checked after every hour');

  const actualEngine = await DuckDbEngine.open({ path: warehouse, threads: 1 });
  let actual: unknown;
  try {
    actual = await tableChecksums(actualEngine, tables);
  } finally {
    await actualEngine.close();
  }
  assert.deepEqual(actual, await expected());
  assert.ok((actual as { rows: number }[]).every((c) => c.rows > 0), 'every table has rows');
});
