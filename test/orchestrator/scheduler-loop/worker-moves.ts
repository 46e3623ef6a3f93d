import type { SqlEngine } from '../../../src/engines/engine.ts';
import { claimTaskInstances, type ClaimedTask } from '../../../src/orchestrator/metadb/claim-task-instances.ts';
import { getDagRun } from '../../../src/orchestrator/metadb/dag-runs.ts';
import { getDagVersion } from '../../../src/orchestrator/metadb/dags.ts';
import { setTaskState } from '../../../src/orchestrator/metadb/task-instances.ts';
import { isRetried, nextTryAt } from '../../../src/orchestrator/scheduler/retry.ts';

/**
 * What a worker does through the metadata database, without running task code: claims queued task instances, then
 * records each try's outcome (`outcome` decides it) as the runner would, a failure going to up_for_retry at the task's
 * retry delay while tries are left. Returns the claimed tasks.
 */
export async function workTasks(engine: SqlEngine, now: Date, outcome: (t: ClaimedTask) => 'success' | 'failed' | 'leave' = () => 'success', worker = 'w1'): Promise<ClaimedTask[]> {
  const claimed = await engine.transaction((tx) => claimTaskInstances(tx, { worker, hostname: 'test', limit: 1000, now, leaseMs: 60_000 }));
  for (const c of claimed) {
    const o = outcome(c);
    if (o === 'leave') continue;
    const claim = { worker, tryNumber: c.tryNumber };
    if (o === 'success') {
      await setTaskState(engine, c, { state: 'success', expected: ['running'], now, claim });
      continue;
    }
    const run = await getDagRun(engine, c.dagId, c.runId);
    const task = (await getDagVersion(engine, c.dagId, c.version))?.tasks.find((t) => t.id === c.taskId);
    if (run === undefined || task === undefined) throw new Error('claimed a task of no run');
    const retried = isRetried(c.tryNumber, c.maxTries);
    await setTaskState(engine, c, {
      state: retried ? 'up_for_retry' : 'failed', expected: ['running'], now, claim, error: 'boom',
      ...(retried ? { nextTryAt: nextTryAt(task, { dagId: c.dagId, taskId: c.taskId, logicalDate: run.logicalDate, tryNumber: c.tryNumber, failedAt: now }) } : {}),
    });
  }
  return claimed;
}
