import { SparkifyError } from '../../core/errors.ts';
import type { SqlSession } from '../../engines/engine.ts';
import { createDagRun, type DagRunRow, getDagRun } from '../metadb/dag-runs.ts';
import { getDag } from '../metadb/dags.ts';
import { manualRunInterval } from '../scheduler/manual-run-interval.ts';
import { runId } from '../scheduler/run-id.ts';

export interface TriggerRequest {
  dagId: string;
  /** Default: now (Airflow's trigger). */
  logicalDate?: Date;
  /** The run's conf: overrides the DAG's params for this run. */
  conf?: Record<string, unknown>;
  now: Date;
}

/**
 * A manual run (queued), with the data interval Airflow infers for its logical date (manualRunInterval), on the DAG's
 * latest version. It starts on the scheduler's next loop, within maxActiveRuns, once the DAG is unpaused.
 */
export async function triggerDagRun(tx: SqlSession, request: TriggerRequest): Promise<DagRunRow> {
  const dag = await getDag(tx, request.dagId);
  if (dag?.serialized == null || dag.latestVersion === null) throw new SparkifyError('SPK_E_NOT_FOUND', `no DAG ${request.dagId}`);
  const logicalDate = request.logicalDate ?? request.now;
  const interval = manualRunInterval(dag.serialized, logicalDate);
  const id = runId('manual', logicalDate);
  const { created } = await createDagRun(tx, {
    dagId: dag.dagId, runId: id, version: dag.latestVersion, runType: 'manual', logicalDate,
    dataIntervalStart: interval.dataIntervalStart, dataIntervalEnd: interval.dataIntervalEnd, conf: request.conf ?? {},
  }, request.now);
  if (!created) {
    throw new SparkifyError('SPK_E_CONFIG', `DAG ${request.dagId} already has a run at logical date ${logicalDate.toISOString()}: clear it to run it again`, {
      details: { dagId: request.dagId, logicalDate: logicalDate.toISOString() },
    });
  }
  return (await getDagRun(tx, dag.dagId, id)) as DagRunRow;
}
