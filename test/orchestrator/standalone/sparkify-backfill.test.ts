import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, type TestContext } from 'node:test';
import { systemClock } from '../../../src/core/clock.ts';
import { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { PostgresEngine } from '../../../src/engines/postgres/postgres-engine.ts';
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
import { testDatabase } from '../../support/postgres.ts';
import { metadb } from '../metadb/fixtures.ts';
import { testBox } from '../runner/runner-fixture.ts';

const dagsFolder = resolve(import.meta.dirname, '..', '..', '..', 'dags');
const tables = ['songplays', 'users', 'songs', 'artists', 'time', 'staging_songs'];
const open = (l: Parameters<typeof openStore>[0]) => openStore(l, { region: 'us-east-1' });
const day = { from: new Date('2018-11-15T00:00:00Z'), to: new Date('2018-11-16T00:00:00Z') };

/** The interval pipeline's own steps for the range's hours, with the DAG's settings (its default events format), on a clean warehouse. */
async function expected(engine: SqlEngine, range: { from: Date; to: Date }): Promise<unknown> {
  await stageSongs(engine, { from: sample.root, key: 'song_data', format: 'auto', open, loadId: 'songs' });
  for (const interval of hourlyIntervals(range.from, range.to)) {
    await stageEvents(engine, { interval, from: sample.root, key: 'log_data/2018/11/2018-11-15-events.json', format: 'auto ignorecase', open, loadId: interval.start.toISOString() });
    await loadFact(engine, interval);
    for (const [table, mode] of [['users', 'upsert'], ['songs', 'truncate-insert'], ['artists', 'truncate-insert'], ['time', 'upsert']] as const) {
      await loadDimension(engine, { table, mode, interval });
    }
  }
  return await tableChecksums(engine, tables);
}

const none = { port: null, login: null, password: null, schema: null, description: null };

/** The DAG's warehouse connection and two engines: the one it loads (read after the runs) and a clean one for the expected tables. */
async function warehouseFor(t: TestContext, kind: 'duckdb' | 'postgres', dir: string) {
  if (kind === 'duckdb') {
    const path = join(dir, 'warehouse.duckdb');
    return {
      connection: { connId: 'sparkify_warehouse', connType: 'duckdb', host: path, extra: {}, ...none },
      open: () => DuckDbEngine.open({ path, threads: 1 }),
      clean: () => DuckDbEngine.open({ threads: 1 }),
    };
  }
  const [loaded, clean] = [await testDatabase(t, 'e2e_warehouse'), await testDatabase(t, 'e2e_clean')];
  if (loaded === undefined || clean === undefined) return undefined;
  const u = new URL(loaded.url);
  return {
    connection: { ...none, connId: 'sparkify_warehouse', connType: 'postgres', host: u.hostname, port: Number(u.port || 5432), login: decodeURIComponent(u.username), password: decodeURIComponent(u.password) || null, schema: u.pathname.slice(1), extra: {} },
    open: async () => new PostgresEngine({ connectionString: loaded.url }),
    clean: async () => new PostgresEngine({ connectionString: clean.url }),
  };
}

/** Runs the backfill's runs through the scheduler loop and a local executor until all have ended; the tries that did not succeed. */
async function runToEnd(engine: SqlEngine, dates: Date[], t: TestContext, label: string): Promise<string[]> {
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
  t.diagnostic(`${label}: ${dates.length} runs x 10 tasks in ${seconds.toFixed(1)} s (${(dates.length * 10 / seconds).toFixed(1)} tasks/s)`);
  return failures;
}

const ranges = { duckdb: day, postgres: day };

for (const kind of ['duckdb', 'postgres'] as const) {
  const range = ranges[kind];
  const hours = (range.to.getTime() - range.from.getTime()) / 3_600_000;
  test(`dags/sparkify.ts backfilled over ${hours} hours of the course sample (${hours} hourly runs) through the scheduler and the local executor, then again with --reprocess completed: the ${kind} warehouse equals the interval pipeline's both times`, async (t) => {
    if (!requireDataset(t, sample.root)) return;
    const engine = await metadb(t, 'pglite');
    if (!engine) return;
    const dir = await mkdtemp(join(tmpdir(), 'sparkify-e2e-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const warehouse = await warehouseFor(t, kind, dir);
    if (warehouse === undefined) return;
    await putConnection(engine, testBox, warehouse.connection);
    await putConnection(engine, testBox, { connId: 'sparkify_data', connType: 'fs', host: null, extra: { path: sample.root }, ...none });
    // Paused at creation: the hourly catchup from 2018-11-01 stays off; a backfill runs anyway.
    const sync = await syncDagFolder(engine, systemClock, { folder: dagsFolder });
    assert.deepEqual(sync.newVersions.sort(), ['daily_plays_report', 'sparkify']);
    const backfill = (reprocess: 'none' | 'completed') =>
      engine.transaction((tx) => createBackfill(tx, { dagId: 'sparkify', from: range.from, to: new Date(range.to.getTime() - 3_600_000), reprocess, now: systemClock.now() }));
    const plan = await backfill('none');
    assert.equal(plan.length, hours);
    const dates = plan.map((p) => p.logicalDate);

    const cleanEngine = await warehouse.clean();
    let want: unknown;
    try {
      want = await expected(cleanEngine, range);
    } finally {
      await cleanEngine.close();
    }
    const checksums = async () => {
      const loaded = await warehouse.open();
      try {
        return await tableChecksums(loaded, tables);
      } finally {
        await loaded.close();
      }
    };

    assert.deepEqual(await runToEnd(engine, dates, t, `${kind}, first backfill`), [], 'no try failed');
    // Every operator of the DAG closes what it opened (its warehouse, its files): no try leaves its process unfit.
    const unfit = await engine.query<{ why: string }>(`SELECT DISTINCT substring(text from 'its process is not reused: ([^\n]*)') AS why FROM orch_task_log WHERE text LIKE '%its process is not reused%'`);
    assert.deepEqual(unfit, [], 'no task process was left unfit for reuse');
    const runs = await listDagRuns(engine, 'sparkify', { limit: 100 });
    assert.deepEqual(runs.map((r) => [r.runType, r.state]), dates.map(() => ['backfill', 'success']));
    const [quality] = await engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_task_instance WHERE dag_id = 'sparkify' AND task_id = 'Run_data_quality_checks' AND state = 'success'`);
    assert.equal(quality?.n, hours, 'quality checked after every hour');
    const first = await checksums();
    assert.deepEqual(first, want);
    assert.ok((first as { rows: number }[]).every((c) => c.rows > 0), 'every table has rows');

    // The same hours again, every finished run re-run: each hour replaces exactly its own rows.
    const again = await backfill('completed');
    assert.deepEqual(again.map((p) => p.action), dates.map(() => 'reprocess'));
    assert.deepEqual(await runToEnd(engine, dates, t, `${kind}, reprocess completed`), [], 'no try of the re-run failed');
    const [tries] = await engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_task_try WHERE dag_id = 'sparkify' AND state = 'success'`);
    assert.equal(tries?.n, hours * 20, 'every task ran twice');
    assert.deepEqual(await checksums(), want);
  });
}
