import type { SqlEngine } from '../../engines/engine.ts';
import type { ClaimScope } from '../metadb/claim-scope.ts';
import { moveTaskInstances } from '../metadb/task-instance-moves.ts';
import { openDagSlots, openPoolSlots, queueCandidates } from '../metadb/queue-candidates.ts';
import { admitTasks, type QueueCandidate } from '../scheduler/admission.ts';

/**
 * Queues scheduled task instances for the executors, in one short transaction: the candidates are locked SKIP LOCKED
 * (two schedulers take different ones), admitted by priority within their pools' free slots and their DAGs'
 * maxActiveTasks, and moved scheduled → queued by compare-and-set, so no instance is queued twice. The limits read
 * here may be passed by a second scheduler queueing at the same moment; the claim counts them again under its locks,
 * so that costs an instance a little longer in the queue, never a slot too many. `only`: just that DAG's or run's
 * (`dags test` queues its own run's and leaves the rest to the scheduler). Returns how many it queued.
 */
export async function queueScheduledTasks(engine: SqlEngine, now: Date, limit = 512, only?: ClaimScope): Promise<number> {
  return engine.transaction(async (tx) => {
    const candidates = await queueCandidates(tx, limit, only);
    if (candidates.length === 0) return 0;
    const [pools, dags] = await Promise.all([openPoolSlots(tx), openDagSlots(tx, [...new Set(candidates.map((c) => c.dagId))])]);
    const { queue } = admitTasks(candidates, { openPoolSlots: pools, openDagSlots: dags });
    const byRun = new Map<string, QueueCandidate[]>();
    for (const c of queue) byRun.set(`${c.dagId}\u0000${c.runId}`, [...(byRun.get(`${c.dagId}\u0000${c.runId}`) ?? []), c]);
    let queued = 0;
    for (const group of byRun.values()) {
      const first = group[0] as QueueCandidate;
      queued += (await moveTaskInstances(tx, first.dagId, first.runId, group.map((c) => c.taskId), 'queued', ['scheduled'], now)).length;
    }
    return queued;
  });
}
