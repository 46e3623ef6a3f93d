import { resolve } from 'node:path';
import type { Progress } from '../../core/progress.ts';
import type { SqlEngine } from '../../engines/engine.ts';
import type { SecretBox } from '../../orchestrator/metadb/secrets/secret-box.ts';
import type { TaskState } from '../../orchestrator/states.ts';

/** The DAG the demo runs, and where it is: the repository's own dags/, wherever the command is started from. */
export const demoDagId = 'sparkify';
export const demoDagFolder = resolve(import.meta.dirname, '..', '..', '..', 'dags');

export interface DemoDagRequest {
  /** The demo's own metadata database, fresh (migrated). */
  metadb: SqlEngine;
  secrets: SecretBox;
  /** The DuckDB file the DAG's sparkify_warehouse connection names. */
  warehouse: string;
  /** The simulated dataset (sparkify_data). */
  datasetDir: string;
  /** The first simulated day and how many: the backfill covers [from, from + days) hour by hour. */
  from: Date;
  days: number;
  /** Task processes at once (the local executor's parallelism). */
  parallelism: number;
  progress: Progress;
  /** Told of each try that did not succeed (it may be retried). */
  onTryFailed?: (what: string) => void;
}

export interface DemoDagResult {
  /** The runs' logical dates, one per simulated hour. */
  dates: Date[];
  seconds: number;
}

/** Task states as the progress line counts them. */
const doneStates: readonly TaskState[] = ['success', 'skipped'];
const failedStates: readonly TaskState[] = ['failed', 'upstream_failed'];

/**
 * Runs dags/sparkify.ts over the simulated days, as `sparkify dags backfill` would: the DAG folder synced into the
 * metadata database, the connections pointed at the demo's warehouse file and dataset, one backfill run per hour of
 * [from, from + days), and the scheduler loop with a LocalExecutor beside it until every run has finished. A backfill
 * of exactly those hours, not the DAG's catchup (which would go on to today): the DAG stays paused.
 */
export async function runDemoDag(request: DemoDagRequest): Promise<DemoDagResult> {
  const { metadb: engine, progress } = request;
  const { systemClock } = await import('../../core/clock.ts');
  const { putConnection } = await import('../../orchestrator/metadb/connections.ts');
  const { runStatesAt } = await import('../../orchestrator/metadb/dag-runs.ts');
  const { taskStatesAt } = await import('../../orchestrator/metadb/dag-tallies.ts');
  const { createBackfill, syncDagFolder } = await import('../../orchestrator/scheduler-loop/index.ts');
  const { runSchedulerWithExecutor } = await import('../../orchestrator/standalone/scheduler-with-executor.ts');

  const none = { port: null, login: null, password: null, schema: null };
  await putConnection(engine, request.secrets, { connId: 'sparkify_warehouse', connType: 'duckdb', host: request.warehouse, extra: {}, ...none, description: 'the demo\'s warehouse' });
  await putConnection(engine, request.secrets, { connId: 'sparkify_data', connType: 'fs', host: null, extra: { path: request.datasetDir }, ...none, description: 'the demo\'s simulated dataset' });
  const sync = await syncDagFolder(engine, systemClock, { folder: demoDagFolder });
  if (!sync.newVersions.includes(demoDagId)) {
    const { SparkifyError } = await import('../../core/errors.ts');
    throw new SparkifyError('SPK_E_CONFIG', `the DAG folder ${demoDagFolder} has no DAG ${demoDagId} (import errors: ${sync.importErrors}; sparkify dags list --dags ${demoDagFolder})`);
  }
  const last = new Date(request.from.getTime() + request.days * 86_400_000 - 3_600_000);
  const plan = await engine.transaction((tx) => createBackfill(tx, { dagId: demoDagId, from: request.from, to: last, reprocess: 'none', now: systemClock.now() }));
  const dates = plan.map((p) => p.logicalDate);
  const { getDag } = await import('../../orchestrator/metadb/dags.ts');
  const tasksPerRun = (await getDag(engine, demoDagId))?.serialized?.tasks.length ?? 0;

  const stop = new AbortController();
  const started = performance.now();
  const line = (runs: Partial<Record<string, number>>, tasks: Partial<Record<TaskState, { n: number }>>) => {
    const count = (states: readonly TaskState[]) => states.reduce((n, s) => n + (tasks[s]?.n ?? 0), 0);
    const seconds = Math.max(0.001, (performance.now() - started) / 1000);
    const runsDone = (runs.success ?? 0) + (runs.failed ?? 0);
    const tasksDone = count(doneStates);
    return `${demoDagId}: runs ${runsDone}/${dates.length} done, ${runs.running ?? 0} running, ${runs.failed ?? 0} failed; ` +
      `tasks ${tasksDone + count(failedStates)}/${dates.length * tasksPerRun} done, ${count(['running'])} running, ${count(failedStates)} failed; ` +
      `${(runsDone / seconds).toFixed(2)} runs/s, ${((tasksDone + count(failedStates)) / seconds).toFixed(1)} tasks/s`;
  };
  const onError = (error: unknown) => request.onTryFailed?.(`scheduler: ${(error as Error).message}`);
  // Ctrl-C: running tasks get a few seconds, a second one releases them at once (as dags backfill).
  const releaseNow = new AbortController();
  let finished = false;
  const { onStopSignals } = await import('./local-executor.ts');
  const removeHandlers = onStopSignals(stop, () => releaseNow.abort());
  try {
    await runSchedulerWithExecutor({
      engine, clock: systemClock, signal: stop.signal, idleMs: 500, stopGraceMs: 5000, releaseNow: releaseNow.signal,
      onTick: async () => {
        const runs = await runStatesAt(engine, demoDagId, dates);
        finished = (runs.success ?? 0) + (runs.failed ?? 0) >= dates.length;
        if (finished) stop.abort();
        progress.update(line(runs, await taskStatesAt(engine, demoDagId, dates)));
      },
      executor: {
        secrets: request.secrets, dagFolder: demoDagFolder, parallelism: request.parallelism, onError,
        onFinished: (claim, outcome) => {
          if (outcome.state !== 'success') request.onTryFailed?.(`${claim.runId} ${claim.taskId} try ${claim.tryNumber}: ${outcome.state}${outcome.error ? ` (${outcome.error})` : ''}`);
        },
      },
    }, onError);
  } finally {
    removeHandlers();
  }
  if (!finished) {
    const { SparkifyError } = await import('../../core/errors.ts');
    throw new SparkifyError('SPK_E_TASK_STOPPED', 'demo interrupted: run it again to start over');
  }
  const seconds = (performance.now() - started) / 1000;
  progress.done(line(await runStatesAt(engine, demoDagId, dates), await taskStatesAt(engine, demoDagId, dates)));
  return { dates, seconds };
}
