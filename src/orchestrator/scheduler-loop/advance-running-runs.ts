import type { SqlSession } from '../../engines/engine.ts';
import type { TaskState } from '../states.ts';
import { requestCallback } from '../metadb/callback-requests.ts';
import { setDagRunState, type ActiveDagRun } from '../metadb/dag-runs.ts';
import { createTaskInstances } from '../metadb/task-instances.ts';
import { moveTaskInstances, previousRunTaskStates, runTaskInstances } from '../metadb/task-instance-moves.ts';
import { decideRun } from '../scheduler/decide-run.ts';
import { dueTries } from '../scheduler/retry.ts';
import type { DagVersions } from './dag-versions.ts';

export interface AdvanceReport {
  retriesDue: number;
  scheduled: number;
  skipped: number;
  upstreamFailed: number;
  /** Runs that ended, with how long they ran (start to end). */
  finished: { runId: string; state: 'success' | 'failed'; durationMs: number }[];
}

/**
 * One pass over the DAG's running runs, under its row lock: retries and reschedules whose time has come go back to
 * scheduled, then decideRun moves `none` task instances to scheduled, skipped or upstream_failed (a whole chain in
 * one pass), and a run whose task instances are all finished ends success or failed. Every move is a set-based
 * compare-and-set, so a worker finishing a task meanwhile is never overwritten; it is seen on the next loop.
 */
export async function advanceRunningRuns(tx: SqlSession, dagId: string, runs: readonly Pick<ActiveDagRun, 'runId' | 'state' | 'version' | 'logicalDate' | 'startDate'>[], versions: DagVersions, now: Date): Promise<AdvanceReport> {
  const report: AdvanceReport = { retriesDue: 0, scheduled: 0, skipped: 0, upstreamFailed: 0, finished: [] };
  const running = runs.filter((r) => r.state === 'running');
  const instances = await runTaskInstances(tx, dagId, running.map((r) => r.runId));
  for (const run of running) {
    const dag = await versions.get(tx, dagId, run.version);
    let mine = instances.filter((ti) => ti.runId === run.runId);
    // A run started by a scheduler that died before making its task instances (or a hand-made one) gets them now.
    if (mine.length === 0 && dag.tasks.length > 0) {
      await createTaskInstances(tx, dagId, run.runId);
      mine = dag.tasks.map((t) => ({ runId: run.runId, taskId: t.id, state: 'none' as TaskState, nextTryAt: null }));
    }
    const states: Record<string, TaskState> = Object.fromEntries(mine.map((ti) => [ti.taskId, ti.state]));
    const due = dueTries(mine, now).map((ti) => ti.taskId);
    for (const id of await moveTaskInstances(tx, dagId, run.runId, due, 'scheduled', ['up_for_retry', 'up_for_reschedule'], now)) {
      states[id] = 'scheduled';
      report.retriesDue++;
    }
    const previousRun = dag.tasks.some((t) => t.dependsOnPast) ? await previousRunTaskStates(tx, dagId, run.logicalDate) : undefined;
    const d = decideRun({ tasks: dag.tasks, states, ...(previousRun === undefined ? {} : { previousRun }) });
    report.scheduled += (await moveTaskInstances(tx, dagId, run.runId, d.schedule, 'scheduled', ['none'], now)).length;
    report.skipped += (await moveTaskInstances(tx, dagId, run.runId, d.skip, 'skipped', ['none'], now)).length;
    report.upstreamFailed += (await moveTaskInstances(tx, dagId, run.runId, d.upstreamFailed, 'upstream_failed', ['none'], now)).length;
    if (d.runState !== 'running' && (await setDagRunState(tx, dagId, run.runId, d.runState, ['running'], now))) {
      // The DAG's callback for it, queued with the state change: it runs once, in the callback runner, never here.
      if (d.runState === 'success' ? dag.callbacks?.onSuccess : dag.callbacks?.onFailure) {
        await requestCallback(tx, { dagId, runId: run.runId, taskId: null, kind: d.runState === 'success' ? 'dag_success' : 'dag_failure' }, now);
      }
      report.finished.push({ runId: run.runId, state: d.runState, durationMs: now.getTime() - (run.startDate ?? now).getTime() });
    }
  }
  return report;
}
