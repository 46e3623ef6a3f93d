import type { SqlSession } from '../../engines/engine.ts';
import { claimScopeOf, type ClaimScope } from './claim-scope.ts';
import { sql } from './sql.ts';
import type { TaskInstanceKey } from './task-instances.ts';

export interface ClaimRequest {
  worker: string;
  hostname: string;
  /** At most this many task instances. */
  limit: number;
  now: Date;
  /** How long the claim holds without a renewal (renewLease); a lapsed lease means the worker is gone. */
  leaseMs: number;
  /**
   * Only this DAG's (or run's) queued task instances; default: the scope `tx` carries (claimingOnly), else any. Pools
   * and maxActiveTasks are still counted over every running task instance.
   */
  only?: ClaimScope;
}

export interface ClaimedTask extends TaskInstanceKey {
  tryNumber: number;
  maxTries: number;
  pool: string;
  priorityWeight: number;
  /** The DAG version of the task's run, whose serialised task the worker runs. */
  version: string;
  poolSlots: number;
  /** The pool's running task instances once this claim commits, this claim's included (never more than poolSlots). */
  poolRunning: number;
  leaseUntil: Date;
  /**
   * Set when the instance comes back from a reschedule: the first poke of its try, which this claim stays on (its
   * try number was not counted again). Null for a new try.
   */
  rescheduledSince: Date | null;
}

/**
 * Claims queued task instances for `request.worker` in the caller's transaction, which must commit for the claim to
 * hold (and should be short: the pools it claims from wait for it). Three statements: the pools with queued work are
 * locked, then their DAGs, then one statement counts what runs in them and claims within their free slots and
 * maxActiveTasks, FOR UPDATE SKIP LOCKED (sql/claim-task-instances.sql). Because the count runs under those locks, two
 * claimers never both fill the same slot: the second counts the first's claims. A scoped claim (`only`) locks and takes
 * only its scope's work.
 */
export async function claimTaskInstances(tx: SqlSession, request: ClaimRequest): Promise<ClaimedTask[]> {
  const only = request.only ?? claimScopeOf(tx);
  const scope = [only?.dagId ?? null, only?.runId ?? null];
  const pools = (await tx.query<{ pool: string }>(sql('lock-claim-pools'), scope)).map((r) => r.pool);
  if (pools.length === 0) return [];
  const dags = (await tx.query<{ dag_id: string }>(sql('lock-claim-dags'), [pools, ...scope])).map((r) => r.dag_id);
  if (dags.length === 0) return [];
  const leaseUntil = new Date(request.now.getTime() + request.leaseMs);
  const rows = await tx.query<Record<string, unknown>>(sql('claim-task-instances'), [request.worker, request.now, leaseUntil, request.limit, pools, dags, request.hostname, ...scope]);
  return rows.map((r) => ({
    dagId: r.dag_id as string,
    runId: r.run_id as string,
    taskId: r.task_id as string,
    tryNumber: r.try_number as number,
    maxTries: r.max_tries as number,
    pool: r.pool as string,
    priorityWeight: r.priority_weight as number,
    version: r.version as string,
    poolSlots: r.pool_slots as number,
    poolRunning: r.pool_running as number,
    leaseUntil,
    rescheduledSince: (r.rescheduled_since as Date | null) ?? null,
  }));
}
