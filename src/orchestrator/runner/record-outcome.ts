import { SparkifyError } from '../../core/errors.ts';
import type { JsonValue } from '../dag/json-value.ts';
import type { DatasetRef, SerializedTask } from '../dag/serialized-dag.ts';
import type { ClaimedTask } from '../metadb/claim-task-instances.ts';
import { recordLineage } from '../metadb/lineage.ts';
import { putResult } from '../metadb/task-results.ts';
import { setTaskState } from '../metadb/task-instances.ts';
import type { TaskRun } from '../metadb/task-runs.ts';
import { isRetried, nextTryAt } from '../scheduler/retry.ts';
import type { RunnerDeps } from './runner-deps.ts';

export type RecordedState = 'success' | 'failed' | 'up_for_retry' | 'up_for_reschedule' | 'lost';

/** The key a failed DataQuality's results are stored under (its return_value is kept for a success's). */
export const qualityResultsKey = 'quality_results';

const lost = Symbol('lost');

/**
 * A successful try, in one transaction: its result (`return_value`), its lineage, and the state, compare-and-set on
 * the claim and try. If the claim is no longer ours (the lease lapsed and the task was taken away), nothing of it is
 * kept: the result and lineage roll back with the refused state change.
 */
export async function recordSuccess(deps: RunnerDeps, claim: ClaimedTask, done: { hasResult: boolean; result: JsonValue | null; inlets: DatasetRef[]; outlets: DatasetRef[] }): Promise<RecordedState> {
  const now = deps.clock.now();
  try {
    await deps.metadb.transaction(async (tx) => {
      if (done.hasResult) await putResult(tx, claim, done.result, now);
      await recordLineage(tx, claim, done.inlets, done.outlets);
      const applied = await setTaskState(tx, claim, { state: 'success', expected: ['running'], now, claim: { worker: deps.workerId, tryNumber: claim.tryNumber } });
      if (!applied) throw lost;
    });
    return 'success';
  } catch (error) {
    if (error === lost) return 'lost';
    throw error;
  }
}

/** What a failure carries besides its error. */
export interface FailureExtras {
  /** Not tried again whatever tries are left (a sensor's own timeout: another try would wait for the same thing). */
  final?: boolean;
  /** Results stored with the failure, by key (DataQuality's, under quality_results), kept only if the state applies. */
  results?: Record<string, JsonValue>;
}

/**
 * A failed try (an exception, a timeout, its process ended): up_for_retry with its next try's time (scheduler/retry.ts)
 * while tries are left and the failure is not final, else failed. Without the run's task (no such run or task in its
 * version) there is nothing to retry: failed. Its results and the state change commit together, compare-and-set on the
 * claim and try, as a success's do.
 */
export async function recordFailure(deps: RunnerDeps, claim: ClaimedTask, run: TaskRun | undefined, task: SerializedTask | undefined, error: SparkifyError, extras: FailureExtras = {}): Promise<RecordedState> {
  const now = deps.clock.now();
  const retried = run !== undefined && task !== undefined && extras.final !== true && isRetried(claim.tryNumber, claim.maxTries);
  const at = retried ? nextTryAt(task, { dagId: claim.dagId, taskId: claim.taskId, logicalDate: run.logicalDate, tryNumber: claim.tryNumber, failedAt: now }) : undefined;
  try {
    await deps.metadb.transaction(async (tx) => {
      for (const [name, value] of Object.entries(extras.results ?? {})) await putResult(tx, claim, value, now, name);
      const applied = await setTaskState(tx, claim, {
        state: retried ? 'up_for_retry' : 'failed', expected: ['running'], now, nextTryAt: at,
        claim: { worker: deps.workerId, tryNumber: claim.tryNumber }, error: error.message,
      });
      if (!applied) throw lost;
    });
  } catch (e) {
    if (e === lost) return 'lost';
    throw e;
  }
  return retried ? 'up_for_retry' : 'failed';
}

/**
 * A poke that asked to be rescheduled (Airflow's AirflowRescheduleException): up_for_reschedule at `nextTryAt`, the
 * slot freed, and no try used up: the instance keeps its try number and `firstPokeAt` (rescheduled_since), so that its
 * next claim stays on this try and its next poke counts the sensor's timeout from the first.
 */
export async function recordReschedule(deps: RunnerDeps, claim: ClaimedTask, request: { nextTryAt: Date; firstPokeAt: Date }): Promise<RecordedState> {
  const applied = await setTaskState(deps.metadb, claim, {
    state: 'up_for_reschedule', expected: ['running'], now: deps.clock.now(), nextTryAt: request.nextTryAt, rescheduledSince: request.firstPokeAt,
    claim: { worker: deps.workerId, tryNumber: claim.tryNumber },
  });
  return applied ? 'up_for_reschedule' : 'lost';
}
