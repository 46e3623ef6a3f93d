import type { BaseOperator } from '../dag/base-operator.ts';
import { canonicalJson } from '../dag/canonical-json.ts';
import type { DefinedDag } from '../dag/dag-collector.ts';
import type { Dag } from '../dag/dag.ts';
import { serializeDag } from '../dag/serialize-dag.ts';
import type { SerializedTask } from '../dag/serialized-dag.ts';
import { SparkifyError } from '../../core/errors.ts';

export interface FoundTask {
  operator: BaseOperator<any, any>;
  /** Why the loaded task differs from the run's version's (null: it is the same), for the try's log. */
  changed: string | null;
}

/**
 * The task `taskId` of DAG `dagId` among the DAGs a file defined when loaded. A run keeps its DAG version, but the
 * code that runs is the file as it is now (as in Airflow 3, which runs the current file and keeps the version for
 * display): a changed task is run and the change is said in the log; a DAG or task the file no longer defines fails
 * the try (SPK_E_DAG_IMPORT), as there is no code left to run.
 */
export function findTask(defined: readonly DefinedDag[], dagId: string, taskId: string, file: string, expected: SerializedTask): FoundTask {
  const dag = defined.map((d) => d.dag as Dag).findLast((d) => d.id === dagId);
  if (dag === undefined) throw new SparkifyError('SPK_E_DAG_IMPORT', `the DAG file ${file} no longer defines DAG '${dagId}'`);
  const operator = dag.tasks.get(taskId);
  if (operator === undefined) throw new SparkifyError('SPK_E_DAG_IMPORT', `DAG '${dagId}' in ${file} no longer has task '${taskId}'`);
  const now = serializeDag(dag, { file }).dag.tasks.find((t) => t.id === taskId) as SerializedTask;
  const differing = (Object.keys(expected) as (keyof SerializedTask)[]).filter((k) => canonicalJson(now[k], 'task') !== canonicalJson(expected[k], 'task'));
  return { operator, changed: differing.length === 0 ? null : `the DAG file changed since the run's version: task '${taskId}' differs in ${differing.join(', ')}; running the file as it is now` };
}
