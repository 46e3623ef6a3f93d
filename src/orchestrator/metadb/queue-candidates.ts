import type { SqlSession } from '../../engines/engine.ts';
import type { QueueCandidate } from '../scheduler/admission.ts';
import type { ClaimScope } from './claim-scope.ts';
import { sql } from './sql.ts';

/** Up to `limit` scheduled task instances of running runs (only `only`'s when given), locked SKIP LOCKED in the caller's transaction. */
export async function queueCandidates(tx: SqlSession, limit: number, only?: ClaimScope): Promise<QueueCandidate[]> {
  const rows = await tx.query<{ dag_id: string; run_id: string; task_id: string; pool: string; priority_weight: number; logical_date: Date }>(sql('queue-candidates'), [
    limit, only?.dagId ?? null, only?.runId ?? null,
  ]);
  return rows.map((r) => ({ dagId: r.dag_id, runId: r.run_id, taskId: r.task_id, pool: r.pool, priorityWeight: r.priority_weight, logicalDate: r.logical_date }));
}

/** Each pool's slots less its queued and running task instances. */
export async function openPoolSlots(session: SqlSession): Promise<Record<string, number>> {
  const rows = await session.query<{ pool: string; open: number }>(sql('open-pool-slots'));
  return Object.fromEntries(rows.map((r) => [r.pool, r.open]));
}

/** Each DAG's maxActiveTasks less its queued and running task instances. */
export async function openDagSlots(session: SqlSession, dagIds: readonly string[]): Promise<Record<string, number>> {
  if (dagIds.length === 0) return {};
  const rows = await session.query<{ dag_id: string; open: number }>(sql('open-dag-slots'), [[...dagIds]]);
  return Object.fromEntries(rows.map((r) => [r.dag_id, r.open]));
}
