import type { SqlEngine } from '../../engines/engine.ts';
import { getDagRun } from '../metadb/dag-runs.ts';
import { lapsedLeases } from '../metadb/leases.ts';
import { setTaskState } from '../metadb/task-instances.ts';
import { isRetried, nextTryAt } from '../scheduler/retry.ts';
import type { DagVersions } from './dag-versions.ts';

/**
 * Running task instances whose worker stopped renewing its lease (killed, cut off) are not left running: the try
 * fails, up_for_retry at its retry delay when it has tries left, else failed, as a task that threw. Each move is
 * guarded by the dead worker's claim and try, so a worker that comes back late and reports changes nothing. Returns
 * how many it reaped.
 */
export async function reapLapsedLeases(engine: SqlEngine, now: Date, versions: DagVersions): Promise<number> {
  return engine.transaction(async (tx) => {
    let reaped = 0;
    for (const lease of await lapsedLeases(tx, now)) {
      const run = await getDagRun(tx, lease.dagId, lease.runId);
      if (run === undefined) continue;
      const dag = await versions.get(tx, lease.dagId, run.version);
      const task = dag.tasks.find((t) => t.id === lease.taskId);
      const retried = task !== undefined && isRetried(lease.tryNumber, lease.maxTries);
      const applied = await setTaskState(tx, lease, {
        state: retried ? 'up_for_retry' : 'failed',
        expected: ['running'],
        now,
        ...(retried ? { nextTryAt: nextTryAt(task, { dagId: lease.dagId, taskId: lease.taskId, logicalDate: run.logicalDate, tryNumber: lease.tryNumber, failedAt: now }) } : {}),
        ...(lease.claimedBy === null ? {} : { claim: { worker: lease.claimedBy, tryNumber: lease.tryNumber } }),
        error: `the worker ${lease.claimedBy ?? '(unknown)'} stopped renewing its lease (it lapsed at ${lease.leaseUntil.toISOString()}): presumed dead`,
      });
      if (applied) reaped++;
    }
    return reaped;
  });
}
