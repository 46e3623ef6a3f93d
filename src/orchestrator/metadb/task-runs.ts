import type { SqlSession } from '../../engines/engine.ts';
import type { SerializedDag } from '../dag/serialized-dag.ts';
import { dagRunRow, type DagRunRow } from './dag-runs.ts';
import { sql } from './sql.ts';

/** A task instance's run as its runner sees it: the run's row, and the serialised DAG of the version the run keeps. */
export interface TaskRun extends DagRunRow {
  dag: SerializedDag;
  /** The data interval start of the DAG's last successful run before this one, if any. */
  prevDataIntervalStartSuccess: Date | null;
}

/** The run of `dagId`/`runId` with its version's serialised DAG; undefined if there is no such run. */
export async function getTaskRun(session: SqlSession, dagId: string, runId: string): Promise<TaskRun | undefined> {
  const [r] = await session.query<Record<string, unknown>>(sql('get-task-run'), [dagId, runId]);
  if (r === undefined) return undefined;
  return { ...dagRunRow(r), dag: r.serialized as SerializedDag, prevDataIntervalStartSuccess: r.prev_data_interval_start_success as Date | null };
}
