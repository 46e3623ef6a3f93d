import type { SqlSession } from '../../engines/engine.ts';
import { sql } from './sql.ts';
import type { TaskInstanceKey } from './task-instances.ts';

/**
 * A worker's heartbeat for a task it runs: the lease now ends at `until`. False: the task is no longer this worker's
 * on this try (its lease lapsed and it was taken away); the worker must stop the attempt.
 */
export async function renewLease(session: SqlSession, key: TaskInstanceKey, claim: { worker: string; tryNumber: number }, until: Date): Promise<boolean> {
  return (await session.query(sql('renew-lease'), [key.dagId, key.runId, key.taskId, claim.worker, claim.tryNumber, until])).length > 0;
}

export interface LapsedLease extends TaskInstanceKey {
  tryNumber: number;
  maxTries: number;
  claimedBy: string | null;
  leaseUntil: Date;
}

/**
 * Running task instances whose lease ended before `now` (a dead worker), locked SKIP LOCKED in the caller's
 * transaction; the caller moves each on (up_for_retry or failed) with setTaskState guarded by its claim and try.
 */
export async function lapsedLeases(tx: SqlSession, now: Date, limit = 100): Promise<LapsedLease[]> {
  const rows = await tx.query<Record<string, unknown>>(sql('lapsed-leases'), [now, limit]);
  return rows.map((r) => ({
    dagId: r.dag_id as string,
    runId: r.run_id as string,
    taskId: r.task_id as string,
    tryNumber: r.try_number as number,
    maxTries: r.max_tries as number,
    claimedBy: r.claimed_by as string | null,
    leaseUntil: r.lease_until as Date,
  }));
}
