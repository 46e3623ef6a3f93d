import type { SqlSession } from '../../engines/engine.ts';
import type { TaskState } from '../states.ts';
import { sql } from './sql.ts';

/** States that end a task instance without a try (the scheduler's verdicts from upstream). */
const endingWithoutTry: ReadonlySet<TaskState> = new Set(['skipped', 'upstream_failed', 'removed']);

/**
 * The scheduler's set-based move of one run's task instances from `expected` to `state`, in one statement
 * (compare-and-set: a row that moved meanwhile is left alone). Not for `running` (the claim's) nor for ending a try
 * (setTaskState's, which closes the orch_task_try row): only for instances no worker holds. Returns the ids moved.
 */
export async function moveTaskInstances(
  session: SqlSession, dagId: string, runId: string, taskIds: readonly string[], state: 'scheduled' | 'queued' | 'skipped' | 'upstream_failed',
  expected: readonly TaskState[], now: Date,
): Promise<string[]> {
  if (taskIds.length === 0) return [];
  const rows = await session.query<{ task_id: string }>(sql('move-task-instances'), [dagId, runId, [...taskIds], state, [...expected], now, endingWithoutTry.has(state)]);
  return rows.map((r) => r.task_id).sort();
}

/**
 * Airflow's clear: the given task instances of a run go back to `none` (queued and running ones are left to their
 * executor), each with its whole set of retries again. Returns the ids cleared. The caller sets the run back to queued.
 */
export async function clearTaskInstances(session: SqlSession, dagId: string, runId: string, taskIds: readonly string[]): Promise<string[]> {
  if (taskIds.length === 0) return [];
  const rows = await session.query<{ task_id: string }>(sql('clear-task-instances'), [dagId, runId, [...taskIds]]);
  return rows.map((r) => r.task_id).sort();
}

export interface RunTaskInstance {
  runId: string;
  taskId: string;
  state: TaskState;
  nextTryAt: Date | null;
}

/** The task instances of several runs of a DAG, in one query. */
export async function runTaskInstances(session: SqlSession, dagId: string, runIds: readonly string[]): Promise<RunTaskInstance[]> {
  if (runIds.length === 0) return [];
  const rows = await session.query<{ run_id: string; task_id: string; state: TaskState; next_try_at: Date | null }>(sql('running-run-task-instances'), [dagId, [...runIds]]);
  return rows.map((r) => ({ runId: r.run_id, taskId: r.task_id, state: r.state, nextTryAt: r.next_try_at }));
}

/**
 * For depends_on_past: the states of the run before `logicalDate` (by logical date), by task id; undefined when there
 * is no earlier run (the first run passes). An earlier run without task instances yet gives `{}`.
 */
export async function previousRunTaskStates(session: SqlSession, dagId: string, logicalDate: Date): Promise<Record<string, TaskState> | undefined> {
  const rows = await session.query<{ run_id: string; task_id: string | null; state: TaskState | null }>(sql('previous-run-task-states'), [dagId, logicalDate]);
  if (rows.length === 0) return undefined;
  const states: Record<string, TaskState> = {};
  for (const r of rows) if (r.task_id !== null && r.state !== null) states[r.task_id] = r.state;
  return states;
}

export interface TaskTryRow {
  tryNumber: number;
  state: string;
  hostname: string | null;
  startDate: Date;
  endDate: Date | null;
  error: string | null;
}

/** Every try of a task instance, first first. */
export async function listTaskTries(session: SqlSession, dagId: string, runId: string, taskId: string): Promise<TaskTryRow[]> {
  const rows = await session.query<{ try_number: number; state: string; hostname: string | null; start_date: Date; end_date: Date | null; error: string | null }>(
    sql('list-task-tries'), [dagId, runId, taskId]);
  return rows.map((r) => ({ tryNumber: r.try_number, state: r.state, hostname: r.hostname, startDate: r.start_date, endDate: r.end_date, error: r.error }));
}
