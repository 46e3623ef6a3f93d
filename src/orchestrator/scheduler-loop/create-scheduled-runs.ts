import type { SqlSession } from '../../engines/engine.ts';
import type { SerializedDag } from '../dag/serialized-dag.ts';
import { createDagRun, lastScheduledRun, type ActiveDagRun } from '../metadb/dag-runs.ts';
import { setDagNextRun } from '../metadb/dags.ts';
import { dueScheduledRuns, nextScheduledRun } from '../scheduler/next-scheduled-run.ts';
import { runId } from '../scheduler/run-id.ts';
import { isBackfillRun } from './start-queued-runs.ts';

/**
 * Creates the DAG's due scheduled runs (queued), oldest first, in the caller's transaction, under the DAG's row lock.
 * As Airflow, no more than maxActiveRuns scheduled and manual runs are active (queued or running) at once, so a long
 * catchup is created as runs finish, in order, instead of as thousands of queued rows; backfill runs count apart. A
 * logical date already taken (a manual or backfill run, or another scheduler's commit) is left as it is: the unique key
 * decides. orch_dag.next_* then names the next run to create. Returns how many runs it created.
 */
export async function createScheduledRuns(tx: SqlSession, dag: SerializedDag, version: string, active: readonly ActiveDagRun[], now: Date): Promise<number> {
  const last = await lastScheduledRun(tx, dag.id);
  const room = dag.maxActiveRuns - active.filter((r) => !isBackfillRun(r)).length;
  const due = room > 0 ? dueScheduledRuns(dag, last, now, room) : [];
  let created = 0;
  for (const run of due) {
    const made = await createDagRun(tx, {
      dagId: dag.id, runId: runId('scheduled', run.logicalDate), version, runType: 'scheduled',
      logicalDate: run.logicalDate, dataIntervalStart: run.dataIntervalStart, dataIntervalEnd: run.dataIntervalEnd,
    }, now);
    if (made.created) created++;
  }
  await setDagNextRun(tx, dag.id, nextScheduledRun(dag, due.at(-1) ?? last, now));
  return created;
}
