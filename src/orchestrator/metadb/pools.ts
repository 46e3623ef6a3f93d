import { SparkifyError } from '../../core/errors.ts';
import type { SqlSession } from '../../engines/engine.ts';
import { sql } from './sql.ts';

/** The pool of tasks that name none; it always exists. */
export const defaultPool = 'default_pool';

export interface PoolRow {
  pool: string;
  slots: number;
  running: number;
  queued: number;
  description: string | null;
}

/** Creates a pool or changes its slots (a description of null keeps the one it has). */
export async function setPool(session: SqlSession, pool: string, slots: number, description: string | null = null): Promise<void> {
  if (!Number.isInteger(slots) || slots < 0) throw new SparkifyError('SPK_E_CONFIG', `pool ${pool}: slots must be a whole number ≥ 0`);
  await session.query(sql('set-pool'), [pool, slots, description]);
}

export async function listPools(session: SqlSession): Promise<PoolRow[]> {
  return session.query<PoolRow>(sql('list-pools'));
}

/**
 * Deletes a pool: false when there was none. default_pool stays (tasks that name no pool use it). Task instances of a
 * deleted pool wait, queued, until it is made again (as in Airflow).
 */
export async function deletePool(session: SqlSession, pool: string): Promise<boolean> {
  if (pool === defaultPool) throw new SparkifyError('SPK_E_CONFIG', `${defaultPool} cannot be deleted (set its slots instead)`);
  return (await session.query(sql('delete-pool'), [pool])).length > 0;
}
