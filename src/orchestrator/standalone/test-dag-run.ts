import type { Clock } from '../../core/clock.ts';
import { SparkifyError } from '../../core/errors.ts';
import type { SqlEngine, SqlSession } from '../../engines/engine.ts';
import { LocalExecutor } from '../executor/local-executor.ts';
import { claimingOnly } from '../metadb/claim-scope.ts';
import { createDagRun, getDagRun, getDagRunAt, setDagRunState, type DagRunRow } from '../metadb/dag-runs.ts';
import { getDag, lockDag, lockDagForChange } from '../metadb/dags.ts';
import { createTaskInstances, listTaskInstances, type TaskInstanceRow } from '../metadb/task-instances.ts';
import { scheduledRunAt } from '../scheduler/manual-run-interval.ts';
import { runId as makeRunId } from '../scheduler/run-id.ts';
import { advanceRunningRuns } from '../scheduler-loop/advance-running-runs.ts';
import { clearTasks } from '../scheduler-loop/clear-tasks.ts';
import { DagVersions } from '../scheduler-loop/dag-versions.ts';
import { queueScheduledTasks } from '../scheduler-loop/queue-scheduled-tasks.ts';
import { WakeSignal } from '../scheduler-loop/wake-signal.ts';
import type { InProcessExecutorOptions } from './scheduler-with-executor.ts';

export interface DagTestRequest {
  engine: SqlEngine;
  clock: Clock;
  dagId: string;
  /** Rounded down to the schedule: the run covers what the scheduled run of that time covers (scheduledRunAt). */
  date: Date;
  executor: InProcessExecutorOptions;
  /** With nothing to decide, look again after this long (a finished try cuts it short; retries wait for their time). */
  idleMs?: number;
  signal?: AbortSignal;
}

export interface DagTestResult {
  run: DagRunRow;
  tasks: TaskInstanceRow[];
}

/**
 * `sparkify dags test`: one run of the DAG at a logical date, run to its end in this process through the scheduler's
 * own decisions (advanceRunningRuns: trigger rules, retries due; queueScheduledTasks) and a LocalExecutor (each try in
 * a child process). Only this run is advanced: the DAG's other runs, its schedule and whether it is paused are left
 * alone (Airflow's `dags test` ignores the pause too). Only this run's task instances are queued here and claimed by
 * its executor (claimingOnly), so on a Postgres metadb other DAGs' queued work stays for the workers; the reverse is
 * not prevented: a scheduler and workers running on the same metadb may advance this run and take its tasks too (their
 * tries then end in the metadb, not in this process's output). A run at that date already is run again (its tasks
 * cleared, its DAG version kept; the runner runs the file as it is now); one left running by an interrupted test is
 * continued.
 */
export async function testDagRun(request: DagTestRequest): Promise<DagTestResult> {
  const { engine, clock, dagId } = request;
  const run = await engine.transaction((tx) => startTestRun(tx, dagId, request.date, clock.now()));
  const wake = new WakeSignal();
  // On a Postgres metadb other DAGs' task instances may be queued for the workers: this executor claims only this
  // run's, and only this run's are queued here (the scheduler queues the rest).
  const only = { dagId, runId: run.runId };
  const executor = new LocalExecutor({
    ...request.executor, metadb: claimingOnly(engine, only), clock,
    onFinished: (claim, outcome) => {
      wake.wake();
      request.executor.onFinished?.(claim, outcome);
    },
  });
  const signal = request.signal ?? new AbortController().signal;
  const versions = new DagVersions();
  executor.start();
  try {
    for (;;) {
      const step = await engine.transaction(async (tx) => {
        // Another scheduler deciding this DAG now: its decisions serve this run too; look again next loop.
        if ((await lockDag(tx, dagId)) === undefined) return { busy: false, done: false };
        const current = await getDagRun(tx, dagId, run.runId);
        if (current === undefined || current.state !== 'running') return { busy: false, done: true };
        const r = await advanceRunningRuns(tx, dagId, [{ ...current, state: 'running' }], versions, clock.now());
        return { busy: r.retriesDue + r.scheduled + r.skipped + r.upstreamFailed > 0, done: r.finished.length > 0 };
      });
      if (step.done) break;
      const queued = await queueScheduledTasks(engine, clock.now(), undefined, only);
      if (queued > 0) executor.wake();
      if (signal.aborted) throw new SparkifyError('SPK_E_TASK_STOPPED', `dags test of ${dagId} interrupted: run ${run.runId} left running (run the same test again to continue it)`);
      if (!step.busy && queued === 0) await wake.wait(request.idleMs ?? 1000, signal);
    }
  } finally {
    await executor.stop(signal.aborted ? 0 : Infinity);
  }
  const final = (await getDagRun(engine, dagId, run.runId)) as DagRunRow;
  return { run: final, tasks: await listTaskInstances(engine, dagId, run.runId) };
}

/** The run at the date, running, with its task instances: made, cleared to run again, or continued. */
async function startTestRun(tx: SqlSession, dagId: string, date: Date, now: Date): Promise<DagRunRow> {
  if (!(await lockDagForChange(tx, dagId))) throw new SparkifyError('SPK_E_NOT_FOUND', `no DAG ${dagId}`);
  const dag = await getDag(tx, dagId);
  if (dag?.serialized == null || dag.latestVersion === null) throw new SparkifyError('SPK_E_NOT_FOUND', `DAG ${dagId} has no stored version`);
  const interval = scheduledRunAt(dag.serialized, date);
  let run = await getDagRunAt(tx, dagId, interval.logicalDate);
  if (run === undefined) {
    const id = makeRunId('manual', interval.logicalDate);
    await createDagRun(tx, {
      dagId, runId: id, version: dag.latestVersion, runType: 'manual', logicalDate: interval.logicalDate,
      dataIntervalStart: interval.dataIntervalStart, dataIntervalEnd: interval.dataIntervalEnd, conf: {},
    }, now);
    run = (await getDagRun(tx, dagId, id)) as DagRunRow;
  } else if (run.state === 'success' || run.state === 'failed') {
    await clearTasks(tx, { dagId, runId: run.runId, now });
  }
  await setDagRunState(tx, dagId, run.runId, 'running', ['queued'], now);
  await createTaskInstances(tx, dagId, run.runId);
  return (await getDagRun(tx, dagId, run.runId)) as DagRunRow;
}
