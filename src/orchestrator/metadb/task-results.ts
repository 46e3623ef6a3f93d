import type { SqlSession } from '../../engines/engine.ts';
import { sql } from './sql.ts';
import type { TaskInstanceKey } from './task-instances.ts';

/** The key a task(fn)'s return value is stored under (Airflow's XCom return_value). */
export const returnValueKey = 'return_value';

/** Stores a task's small JSON result under `key` (a retry's replaces the earlier try's). */
export async function putResult(session: SqlSession, key: TaskInstanceKey, value: unknown, now: Date, name = returnValueKey): Promise<void> {
  if (value === undefined) throw new Error('putResult: undefined is not a JSON value');
  await session.query(sql('put-result'), [key.dagId, key.runId, key.taskId, name, JSON.stringify(value), now]);
}

/** The result stored under `name`: `{ found: false }` when there is none (null is a value a task may return). */
export async function getResult(session: SqlSession, key: TaskInstanceKey, name = returnValueKey): Promise<{ found: true; value: unknown } | { found: false }> {
  const [row] = await session.query<{ value: unknown }>(sql('get-result'), [key.dagId, key.runId, key.taskId, name]);
  return row === undefined ? { found: false } : { found: true, value: row.value };
}
