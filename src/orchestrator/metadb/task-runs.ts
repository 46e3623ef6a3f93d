import type { SqlSession } from '../../engines/engine.ts';
import type { SerializedDag } from '../dag/serialized-dag.ts';
import type { RunType } from '../states.ts';
import { sql } from './sql.ts';

/** A task instance's run as its runner sees it: dates, conf, and the serialised DAG of the version the run keeps. */
export interface TaskRun {
  dagId: string;
  runId: string;
  version: string;
  runType: RunType;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  conf: Record<string, unknown>;
  dag: SerializedDag;
  /** The data interval start of the DAG's last successful run before this one, if any. */
  prevDataIntervalStartSuccess: Date | null;
}

/** The run of `dagId`/`runId` with its version's serialised DAG; undefined if there is no such run. */
export async function getTaskRun(session: SqlSession, dagId: string, runId: string): Promise<TaskRun | undefined> {
  const [r] = await session.query<Record<string, unknown>>(sql('get-task-run'), [dagId, runId]);
  if (r === undefined) return undefined;
  return {
    dagId: r.dag_id as string,
    runId: r.run_id as string,
    version: r.version as string,
    runType: r.run_type as RunType,
    logicalDate: r.logical_date as Date,
    dataIntervalStart: r.data_interval_start as Date,
    dataIntervalEnd: r.data_interval_end as Date,
    conf: r.conf as Record<string, unknown>,
    dag: r.serialized as SerializedDag,
    prevDataIntervalStartSuccess: r.prev_data_interval_start_success as Date | null,
  };
}
