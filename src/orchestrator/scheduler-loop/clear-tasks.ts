import { SparkifyError } from '../../core/errors.ts';
import type { SqlSession } from '../../engines/engine.ts';
import { getDagRun, setDagRunState } from '../metadb/dag-runs.ts';
import { getDagVersion, lockDagForChange } from '../metadb/dags.ts';
import { clearTaskInstances } from '../metadb/task-instance-moves.ts';
import { withDownstream } from './downstream-of.ts';

export interface ClearRequest {
  dagId: string;
  runId: string;
  /** Task ids of the run's DAG version; all of them when omitted. */
  taskIds?: readonly string[];
  /** Also every task downstream of them (Airflow's clear --downstream). */
  downstream?: boolean;
  now: Date;
}

export interface ClearResult {
  /** The task instances that went back to none. */
  cleared: string[];
  /** Asked for but queued or running: left to their executor. */
  busy: string[];
  /** The run went back to queued (it had ended). */
  requeued: boolean;
}

/**
 * Airflow's clear, under the DAG's row lock (no scheduler decides the run meanwhile): the task instances go back to
 * none with their retries anew, and a run that had ended is queued again, so the scheduler runs them once more within
 * maxActiveRuns. The run keeps its DAG version.
 */
export async function clearTasks(tx: SqlSession, request: ClearRequest): Promise<ClearResult> {
  if (!(await lockDagForChange(tx, request.dagId))) throw new SparkifyError('SPK_E_NOT_FOUND', `no DAG ${request.dagId}`);
  const run = await getDagRun(tx, request.dagId, request.runId);
  if (run === undefined) throw new SparkifyError('SPK_E_NOT_FOUND', `DAG ${request.dagId} has no run ${request.runId}`);
  const dag = await getDagVersion(tx, run.dagId, run.version);
  const known = new Set(dag?.tasks.map((t) => t.id) ?? []);
  const asked = request.taskIds ?? [...known];
  const unknown = asked.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new SparkifyError('SPK_E_NOT_FOUND', `run ${request.runId} of DAG ${request.dagId} has no task ${unknown.join(', ')}`);
  const ids = request.downstream ? withDownstream(dag?.tasks ?? [], asked) : [...asked].sort();
  const cleared = await clearTaskInstances(tx, run.dagId, run.runId, ids);
  const requeued = cleared.length > 0 && (await setDagRunState(tx, run.dagId, run.runId, 'queued', ['success', 'failed'], request.now));
  return { cleared, busy: ids.filter((id) => !cleared.includes(id)), requeued };
}
