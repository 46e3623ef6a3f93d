import type { SqlSession } from '../../engines/engine.ts';
import { sql } from './sql.ts';
import type { TaskInstanceKey } from './task-instances.ts';

/**
 * A stopping worker hands a task instance it will not finish back to the queue (sql/release-claim.sql): applied only
 * while the claim is still `claim.worker`'s on `claim.tryNumber`; returns whether it applied. The released try does not
 * count against the task's retries.
 */
export async function releaseClaim(session: SqlSession, key: TaskInstanceKey, claim: { worker: string; tryNumber: number }, now: Date, why: string): Promise<boolean> {
  return (await session.query(sql('release-claim'), [key.dagId, key.runId, key.taskId, claim.worker, claim.tryNumber, now, why])).length > 0;
}
