import type { SqlSession } from '../../engines/engine.ts';
import { setDagRunState, type ActiveDagRun } from '../metadb/dag-runs.ts';
import { createTaskInstances } from '../metadb/task-instances.ts';
import { runsToStart } from '../scheduler/admission.ts';

/** Whether a run is admitted apart from the DAG's scheduled and manual runs: it belongs to a backfill. */
export function isBackfillRun(run: Pick<ActiveDagRun, 'runType' | 'backfillId'>): boolean {
  return run.backfillId !== null || run.runType === 'backfill';
}

/**
 * Starts the DAG's queued runs, oldest logical date first, while fewer than their cap run: queued → running, with its
 * task instances made from the run's own DAG version. The DAG's scheduled and manual runs share its maxActiveRuns; each
 * backfill's runs have that backfill's own max_active_runs (orch_backfill, as in Airflow 3, applied independently of
 * the DAG's), so a long backfill never holds up the hourly runs, nor the other way round, and two backfills do not
 * share a cap. Backfill runs made before backfills had rows (no backfill_id) share the DAG's maxActiveRuns among
 * themselves, as they did then. A paused or inactive DAG starts no scheduled or manual run (Airflow: a trigger on a
 * paused DAG waits until it is unpaused); a backfill was asked for explicitly and goes on. Returns the runs started
 * (they are `running` in `active` afterwards).
 */
export async function startQueuedRuns(tx: SqlSession, maxActiveRuns: number, active: ActiveDagRun[], canStartScheduled: boolean, now: Date, dagId: string): Promise<ActiveDagRun[]> {
  const groups = new Map<string, { cap: number; runs: ActiveDagRun[] }>();
  for (const run of active) {
    const key = run.backfillId !== null ? `backfill ${run.backfillId}` : run.runType === 'backfill' ? 'backfill' : 'dag';
    const group = groups.get(key) ?? { cap: run.backfillMaxActiveRuns ?? maxActiveRuns, runs: [] };
    group.runs.push(run);
    groups.set(key, group);
  }
  const started: ActiveDagRun[] = [];
  for (const [key, { cap, runs }] of groups) {
    if (key === 'dag' && !canStartScheduled) continue;
    const queued = runs.filter((r) => r.state === 'queued');
    const n = runsToStart(cap, runs.length - queued.length, queued.length);
    for (const run of queued.slice(0, n)) {
      if (!(await setDagRunState(tx, dagId, run.runId, 'running', ['queued'], now))) continue;
      await createTaskInstances(tx, dagId, run.runId);
      run.state = 'running';
      run.startDate ??= now;
      started.push(run);
    }
  }
  return started;
}
