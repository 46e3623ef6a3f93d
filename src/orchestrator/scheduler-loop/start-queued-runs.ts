import type { SqlSession } from '../../engines/engine.ts';
import { setDagRunState, type ActiveDagRun } from '../metadb/dag-runs.ts';
import { createTaskInstances } from '../metadb/task-instances.ts';
import { runsToStart } from '../scheduler/admission.ts';

/**
 * Starts the DAG's queued runs, oldest logical date first, while fewer than maxActiveRuns run: queued → running, with
 * its task instances made from the run's own DAG version. Backfill runs have their own maxActiveRuns (as in Airflow
 * 3), so a long backfill never holds up the hourly runs, nor the other way round. A paused or inactive DAG starts no
 * scheduled or manual run (Airflow: a trigger on a paused DAG waits until it is unpaused); a backfill was asked for
 * explicitly and goes on. Returns the runs started (they are `running` in `active` afterwards).
 */
export async function startQueuedRuns(tx: SqlSession, maxActiveRuns: number, active: ActiveDagRun[], canStartScheduled: boolean, now: Date, dagId: string): Promise<ActiveDagRun[]> {
  const started: ActiveDagRun[] = [];
  for (const backfill of [false, true]) {
    if (!backfill && !canStartScheduled) continue;
    const mine = active.filter((r) => (r.runType === 'backfill') === backfill);
    const queued = mine.filter((r) => r.state === 'queued');
    const n = runsToStart(maxActiveRuns, mine.length - queued.length, queued.length);
    for (const run of queued.slice(0, n)) {
      if (!(await setDagRunState(tx, dagId, run.runId, 'running', ['queued'], now))) continue;
      await createTaskInstances(tx, dagId, run.runId);
      run.state = 'running';
      started.push(run);
    }
  }
  return started;
}
