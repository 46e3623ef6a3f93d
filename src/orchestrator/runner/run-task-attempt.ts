import { SparkifyError } from '../../core/errors.ts';
import { sendTryAlert } from '../alerts/send-try-alert.ts';
import type { JsonObject } from '../dag/json-value.ts';
import type { ClaimedTask } from '../metadb/claim-task-instances.ts';
import { releaseClaim } from '../metadb/release-claim.ts';
import { getTaskRun } from '../metadb/task-runs.ts';
import { qualityResultsKey, recordFailure, recordReschedule, recordSuccess, type FailureExtras, type RecordedState } from './record-outcome.ts';
import type { RunnerDeps } from './runner-deps.ts';
import { startTaskProcess, type ProcessEnd, type TaskProcess } from './supervise-task-process.ts';
import { TaskLogWriter } from './task-log-writer.ts';
import { whileReachable } from './while-reachable.ts';

/** How a try ended for its executor: recorded in the metadata database, unless `lost` (no longer ours) or `released`. */
export interface AttemptOutcome {
  state: RecordedState | 'released';
  /** The failure, as recorded on the try (SPK_E_TASK_FAILED, SPK_E_TASK_TIMEOUT, SPK_E_TASK_DIED, …). */
  error: string | null;
}

/** One claimed try being run; the executor renews its lease and may take it away or release it. */
export interface TaskAttempt {
  readonly claim: ClaimedTask;
  readonly done: Promise<AttemptOutcome>;
  /** Its lease could not be renewed (the task was taken away): the process is killed, nothing is recorded. */
  lose(): void;
  /** The worker stops: the task is aborted, killed after the grace, and its claim released back to the queue. */
  release(why: string): void;
}

/**
 * Runs one claimed try of a task instance (the task runner): its user code in a process of its own
 * (supervise-task-process.ts), the run's context and DAG version from the metadata database, the execution timeout
 * (AbortSignal, then a kill after the grace), the try's log kept as it runs, and the outcome recorded with a
 * compare-and-set on this worker's claim and try.
 */
export function runTaskAttempt(deps: RunnerDeps, claim: ClaimedTask): TaskAttempt {
  let proc: TaskProcess | undefined;
  let cancel: { why: 'lost' | 'stop'; reason: string } | undefined;
  const done = attempt(deps, claim, (p) => {
    proc = p;
    if (cancel !== undefined) p.stop(cancel.why, cancel.reason);
  }, () => cancel);
  const cancelWith = (why: 'lost' | 'stop', reason: string) => {
    if (cancel?.why === 'lost') return;
    cancel = { why, reason };
    proc?.stop(why, reason);
  };
  return { claim, done, lose: () => cancelWith('lost', 'the claim was lost'), release: (why) => cancelWith('stop', why) };
}

async function attempt(deps: RunnerDeps, claim: ClaimedTask, started: (p: TaskProcess) => void, cancelled: () => { why: 'lost' | 'stop'; reason: string } | undefined): Promise<AttemptOutcome> {
  const log = new TaskLogWriter(deps.metadb, claim, claim.tryNumber, deps.clock, deps.logFlushMs);
  // The try's reads and outcome survive a metadata database restart: written again until it is back, unless lost.
  const reachable = { givenUp: () => cancelled()?.why === 'lost' };
  const run = await whileReachable(() => getTaskRun(deps.metadb, claim.dagId, claim.runId), reachable);
  const task = run?.dag.tasks.find((t) => t.id === claim.taskId);
  if (run === undefined || task === undefined) {
    const error = new SparkifyError('SPK_E_TASK_FAILED', run === undefined ? `no run ${claim.runId} of DAG '${claim.dagId}'` : `the run's DAG version has no task '${claim.taskId}'`);
    log.line('runner', error.message);
    await log.close();
    return { state: await whileReachable(() => recordFailure(deps, claim, run, task, error), reachable), error: error.message };
  }
  log.line('runner', `try ${claim.tryNumber} of ${claim.maxTries} of ${claim.dagId} / ${claim.runId} / ${claim.taskId} on ${deps.hostname} (worker ${deps.workerId}); ` +
    `DAG version ${run.version.slice(0, 12)} from ${run.dag.file}` +
    (claim.rescheduledSince === null ? '' : `; rescheduled, poking since ${claim.rescheduledSince.toISOString()}`));
  const proc = startTaskProcess(deps, claim, {
    dagId: claim.dagId, taskId: claim.taskId, runId: claim.runId, tryNumber: claim.tryNumber, maxTries: claim.maxTries,
    file: run.dag.file, version: run.version, task,
    logicalDate: run.logicalDate.toISOString(), dataIntervalStart: run.dataIntervalStart.toISOString(), dataIntervalEnd: run.dataIntervalEnd.toISOString(),
    prevDataIntervalStartSuccess: run.prevDataIntervalStartSuccess?.toISOString() ?? null,
    // Airflow's rule: a trigger's conf overrides the DAG's params of the same name.
    runParams: { ...run.dag.params, ...run.conf } as JsonObject,
    rescheduledSince: claim.rescheduledSince?.toISOString() ?? null,
  }, log);
  started(proc);
  // Loading the DAG file is user code too, and may hang: it has a limit of its own, before the execution timeout.
  const loadMs = deps.dagFileTimeoutMs ?? 30_000;
  const loadTimer = setTimeout(() => proc.stop('load', `the DAG file ${run.dag.file} did not load within ${loadMs} ms`), loadMs);
  void proc.executing.then(() => clearTimeout(loadTimer));
  // The execution timeout is a real timer in this process (never inside the task's, which may be stuck), and counts
  // from `execute`, as Airflow's does: starting a process and loading its DAG file are not the task's time.
  const timeoutMs = task.executionTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  if (timeoutMs !== null) {
    void proc.executing.then(() => {
      if (!ended) timer = setTimeout(() => proc.stop('timeout', `task '${claim.taskId}' exceeded its execution timeout of ${timeoutMs} ms`), timeoutMs);
    });
  }
  const end = await proc.end;
  ended = true;
  clearTimeout(timer);
  clearTimeout(loadTimer);
  if (end.notReusedBecause !== null) log.line('runner', `its process is not reused: ${end.notReusedBecause}`);
  if (end.stopped === 'lost') {
    log.line('runner', 'the claim on this try was lost (its lease lapsed and the task was taken away): the process was killed and nothing is recorded');
    await log.close().catch(() => undefined);
    return { state: 'lost', error: null };
  }
  if (end.reply?.type === 'done' && end.stopped !== 'timeout') {
    log.line('runner', 'the task succeeded');
    await log.close();
    const reply = end.reply;
    return { state: await whileReachable(() => recordSuccess(deps, claim, reply), reachable), error: null };
  }
  if (end.reply?.type === 'reschedule' && end.stopped !== 'timeout') {
    // Its poke finished before any stop took effect: the reschedule is recorded rather than the claim released.
    const request = { nextTryAt: new Date(end.reply.nextTryAt), firstPokeAt: new Date(end.reply.firstPokeAt) };
    log.line('runner', `rescheduled: up_for_reschedule until ${request.nextTryAt.toISOString()} (poking since ${request.firstPokeAt.toISOString()}); ` +
      `try ${claim.tryNumber} goes on then, not counted again`);
    await log.close();
    return { state: await whileReachable(() => recordReschedule(deps, claim, request), reachable), error: null };
  }
  if (end.stopped === 'stop' && cancelled()?.why === 'stop') {
    const why = cancelled()?.reason ?? 'the worker stopped';
    log.line('runner', `released: ${why}`);
    await log.close();
    const released = await whileReachable(() => releaseClaim(deps.metadb, claim, { worker: deps.workerId, tryNumber: claim.tryNumber }, deps.clock.now(), why), reachable);
    return { state: released ? 'released' : 'lost', error: null };
  }
  const error = failureOf(end, timeoutMs, run.dag.file, loadMs);
  if (end.reply?.type === 'failed' && end.reply.stack !== null) log.line('task', end.reply.stack);
  log.line('runner', error.message);
  const extras = failureExtras(end);
  if (extras.final === true) log.line('runner', 'the sensor timed out: failed without a retry (another try would wait for the same thing)');
  if (extras.results !== undefined) log.line('runner', `the failed checks' results are stored as the task's result '${qualityResultsKey}'`);
  await log.close();
  const state = await whileReachable(() => recordFailure(deps, claim, run, task, error, extras), reachable);
  if (state === 'failed' || state === 'up_for_retry') await sendTryAlert(deps, claim, task, state, error.message);
  return { state, error: error.message };
}

/**
 * What a task's failure says beyond its message. A sensor's own timeout (a SparkifyError not retryable, with
 * details.sensor) is final, as Airflow's AirflowSensorTimeout: a retry would wait for the same object and time out
 * again. (Not every non-retryable error: that is SparkifyError's default, and a task's retries are the DAG's call.)
 * A failed DataQuality's results (details.results of SPK_E_QUALITY) are stored, so that every check's value is visible
 * to `tasks` commands and downstream tasks, not only in the log.
 */
function failureExtras(end: ProcessEnd): FailureExtras {
  if (end.reply?.type !== 'failed' || end.stopped === 'timeout' || end.reply.details === null) return {};
  const { retryable, details, code } = end.reply;
  return {
    ...(retryable === false && details.sensor === true ? { final: true } : {}),
    ...(code === 'SPK_E_QUALITY' && Array.isArray(details.results) ? { results: { [qualityResultsKey]: details.results } } : {}),
  };
}

function failureOf(end: ProcessEnd, timeoutMs: number | null, file: string, loadMs: number): SparkifyError {
  if (end.stopped === 'load') return new SparkifyError('SPK_E_DAG_IMPORT', `the DAG file ${file} did not load within ${loadMs} ms: its process was killed`);
  if (end.stopped === 'timeout') {
    return new SparkifyError('SPK_E_TASK_TIMEOUT', `the task exceeded its execution timeout of ${timeoutMs} ms${end.killed ? ' and was killed, having ignored its abort' : ''}`);
  }
  if (end.reply?.type === 'failed') {
    // A sensor's timeout keeps its own code (SPK_E_TIMEOUT): it says why there was no retry.
    if (end.reply.retryable === false && end.reply.details?.sensor === true && end.reply.code !== null) {
      return new SparkifyError(end.reply.code as 'SPK_E_TIMEOUT', end.reply.message.replace(/^SPK_E_\w+: /, ''));
    }
    return new SparkifyError('SPK_E_TASK_FAILED', end.reply.message.replace(/^SPK_E_TASK_FAILED: /, ''));
  }
  const how = end.signal !== null ? `was killed by ${end.signal}` : `exited with code ${end.code}`;
  const hint = end.signal === 'SIGABRT' || end.signal === 'SIGKILL' ? ' (out of memory? see the log)' : '';
  return new SparkifyError('SPK_E_TASK_DIED', `the task's process ${how} before the task finished${hint}`);
}
