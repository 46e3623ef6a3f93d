import type { SqlSession } from '../../engines/engine.ts';
import type { TaskState } from '../states.ts';
import { sql } from './sql.ts';

export interface TaskInstanceKey {
  dagId: string;
  runId: string;
  taskId: string;
}

export interface TaskInstanceRow extends TaskInstanceKey {
  state: TaskState;
  tryNumber: number;
  maxTries: number;
  pool: string;
  priorityWeight: number;
  queuedAt: Date | null;
  startDate: Date | null;
  endDate: Date | null;
  nextTryAt: Date | null;
  claimedBy: string | null;
  leaseUntil: Date | null;
}

/** One task instance (state none) per task of the run's own DAG version; returns the ids it added. */
export async function createTaskInstances(session: SqlSession, dagId: string, runId: string): Promise<string[]> {
  const rows = await session.query<{ task_id: string }>(sql('create-task-instances'), [dagId, runId]);
  return rows.map((r) => r.task_id).sort();
}

export async function listTaskInstances(session: SqlSession, dagId: string, runId: string): Promise<TaskInstanceRow[]> {
  const rows = await session.query<Record<string, unknown>>(sql('list-task-instances'), [dagId, runId]);
  return rows.map((r) => ({
    dagId: r.dag_id as string,
    runId: r.run_id as string,
    taskId: r.task_id as string,
    state: r.state as TaskState,
    tryNumber: r.try_number as number,
    maxTries: r.max_tries as number,
    pool: r.pool as string,
    priorityWeight: r.priority_weight as number,
    queuedAt: r.queued_at as Date | null,
    startDate: r.start_date as Date | null,
    endDate: r.end_date as Date | null,
    nextTryAt: r.next_try_at as Date | null,
    claimedBy: r.claimed_by as string | null,
    leaseUntil: r.lease_until as Date | null,
  }));
}

export interface SetTaskState {
  state: TaskState;
  /** Applied only if the task instance is in one of these now (compare-and-set). */
  expected: readonly TaskState[];
  now: Date;
  /** up_for_retry / up_for_reschedule: not before this. */
  nextTryAt?: Date;
  /** A worker's report: applied only while it still holds the claim on this try. */
  claim?: { worker: string; tryNumber: number };
  /** The try's error, kept on its orch_task_try row. */
  error?: string;
  /**
   * up_for_reschedule: the first poke of the try, kept until the try ends otherwise; the next claim stays on this try
   * and the runner hands it back to the task (TaskContext.rescheduledSince).
   */
  rescheduledSince?: Date;
}

/** States that end a try (its end_date is set and its orch_task_try row closed). */
const endingStates: ReadonlySet<TaskState> = new Set(['success', 'failed', 'skipped', 'upstream_failed', 'removed', 'up_for_retry', 'up_for_reschedule']);

/**
 * Moves a task instance to `change.state` if it is in one of `change.expected`: returns whether it applied. Two
 * parties deciding at once (a worker finishing, a scheduler reaping its lapsed lease) cannot both win. Running is set
 * by claimTaskInstances alone, which counts pools and maxActiveTasks; here it is refused.
 */
export async function setTaskState(session: SqlSession, key: TaskInstanceKey, change: SetTaskState): Promise<boolean> {
  if (change.state === 'running') throw new Error('setTaskState: running is set by claimTaskInstances, which counts pool slots');
  if ((change.state === 'up_for_reschedule') !== (change.rescheduledSince !== undefined)) {
    // Without it the next claim would count a new try and the sensor's timeout would start over.
    throw new Error('setTaskState: up_for_reschedule needs rescheduledSince (the first poke), and only it takes one');
  }
  const rows = await session.query(sql('set-task-state'), [
    key.dagId, key.runId, key.taskId, change.state, [...change.expected], change.now, change.nextTryAt ?? null,
    change.claim?.worker ?? null, change.claim?.tryNumber ?? null, change.error ?? null, endingStates.has(change.state),
    change.rescheduledSince ?? null,
  ]);
  return rows.length > 0;
}
