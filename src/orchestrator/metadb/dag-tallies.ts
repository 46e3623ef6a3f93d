import type { SqlSession } from '../../engines/engine.ts';
import type { TaskState } from '../states.ts';
import { sql } from './sql.ts';

/** Task instances per state (and the tries they took) in the DAG's runs at `logicalDates`; absent states: none. */
export async function taskStatesAt(session: SqlSession, dagId: string, logicalDates: readonly Date[]): Promise<Partial<Record<TaskState, { n: number; tries: number }>>> {
  const rows = await session.query<{ state: TaskState; n: number; tries: number }>(sql('task-states-at'), [dagId, [...logicalDates]]);
  return Object.fromEntries(rows.map((r) => [r.state, { n: r.n, tries: r.tries }]));
}

export interface StoredResult {
  logicalDate: Date;
  runId: string;
  taskId: string;
  key: string;
  value: unknown;
}

/** The results (by key) that `taskIds` stored in the DAG's runs at `logicalDates`, in run order. */
export async function taskResultsAt(session: SqlSession, dagId: string, logicalDates: readonly Date[], taskIds: readonly string[], keys: readonly string[]): Promise<StoredResult[]> {
  const rows = await session.query<{ logical_date: Date; run_id: string; task_id: string; key: string; value: unknown }>(
    sql('task-results-at'), [dagId, [...logicalDates], [...taskIds], [...keys]]);
  return rows.map((r) => ({ logicalDate: new Date(r.logical_date), runId: r.run_id, taskId: r.task_id, key: r.key, value: r.value }));
}
