import type { SqlSession } from '../../engines/engine.ts';
import type { DagRunState } from '../states.ts';
import { sql } from './sql.ts';

export type DeadlineReference = 'dataIntervalEnd' | 'queuedAt' | 'logicalDate';
export type DeadlineAlertState = 'pending' | 'sending' | 'sent' | 'failed' | 'none';

/** A deadline found missed in a tick, before it is recorded. `taskId` null: the run's own deadline. */
export interface NewDeadlineMiss {
  runId: string;
  taskId: string | null;
  reference: DeadlineReference;
  deadline: Date;
  /** Whether it asks for an alert (an email or a callback): `pending` then, else `none`. */
  alert: boolean;
}

/** A recorded miss, as the API, the UI and `sparkify dags deadlines` list them. */
export interface DeadlineMissRow {
  dagId: string;
  runId: string;
  /** Null: the DAG run's deadline. */
  taskId: string | null;
  reference: DeadlineReference;
  deadline: Date;
  /** The scheduler's time when it saw the miss. */
  missedAt: Date;
  alertState: DeadlineAlertState;
  alertedAt: Date | null;
  alertError: string | null;
  /** The run's state now (it may have finished since). */
  runState: DagRunState;
}

/** Records misses of one DAG once each (a miss already recorded is skipped); returns those new this time. */
export async function recordDeadlineMisses(session: SqlSession, dagId: string, misses: readonly NewDeadlineMiss[], now: Date): Promise<{ runId: string; taskId: string | null }[]> {
  if (misses.length === 0) return [];
  const rows = await session.query<{ run_id: string; task_id: string }>(sql('record-deadline-misses'), [
    dagId, misses.map((m) => m.runId), misses.map((m) => m.taskId ?? ''), misses.map((m) => m.reference), misses.map((m) => m.deadline), now,
    misses.map((m) => (m.alert ? 'pending' : 'none')),
  ]);
  return rows.map((r) => ({ runId: r.run_id, taskId: r.task_id === '' ? null : r.task_id }));
}

/** Recorded misses, newest first: of one DAG (or all), of one run (or all). */
export async function listDeadlineMisses(session: SqlSession, filter: { dagId?: string; runId?: string; limit?: number } = {}): Promise<DeadlineMissRow[]> {
  const rows = await session.query<Record<string, unknown>>(sql('list-deadline-misses'), [filter.dagId ?? null, filter.runId ?? null, filter.limit ?? 100]);
  return rows.map((r) => ({
    dagId: r.dag_id as string, runId: r.run_id as string, taskId: r.task_id === '' ? null : (r.task_id as string),
    reference: r.reference as DeadlineReference, deadline: r.deadline as Date, missedAt: r.missed_at as Date,
    alertState: r.alert_state as DeadlineAlertState, alertedAt: r.alerted_at as Date | null, alertError: r.alert_error as string | null,
    runState: r.run_state as DagRunState,
  }));
}

export interface ClaimedDeadlineAlert {
  dagId: string;
  runId: string;
  taskId: string | null;
  reference: DeadlineReference;
  deadline: Date;
  missedAt: Date;
}

/** Takes up to `limit` pending alerts to send (SKIP LOCKED; 'sending' until finishDeadlineAlert). */
export async function claimDeadlineAlerts(session: SqlSession, limit: number, now: Date): Promise<ClaimedDeadlineAlert[]> {
  const rows = await session.query<Record<string, unknown>>(sql('claim-deadline-alerts'), [limit, now]);
  return rows.map((r) => ({
    dagId: r.dag_id as string, runId: r.run_id as string, taskId: r.task_id === '' ? null : (r.task_id as string),
    reference: r.reference as DeadlineReference, deadline: r.deadline as Date, missedAt: r.missed_at as Date,
  }));
}

export async function finishDeadlineAlert(session: SqlSession, a: Pick<ClaimedDeadlineAlert, 'dagId' | 'runId' | 'taskId'>, outcome: { sent: boolean; error: string | null }, now: Date): Promise<void> {
  await session.query(sql('finish-deadline-alert'), [a.dagId, a.runId, a.taskId ?? '', outcome.sent ? 'sent' : 'failed', outcome.error, now]);
}

/** The (run, task) pairs among `runIds` × `taskIds` whose task instance has not finished. */
export async function unfinishedTaskInstances(session: SqlSession, dagId: string, runIds: readonly string[], taskIds: readonly string[]): Promise<{ runId: string; taskId: string }[]> {
  if (runIds.length === 0 || taskIds.length === 0) return [];
  const rows = await session.query<{ run_id: string; task_id: string }>(sql('unfinished-task-instances'), [dagId, [...runIds], [...taskIds]]);
  return rows.map((r) => ({ runId: r.run_id, taskId: r.task_id }));
}
