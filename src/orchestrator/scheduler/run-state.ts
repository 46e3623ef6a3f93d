import type { SerializedTask } from '../dag/serialized-dag.ts';
import { finishedTaskStates, type TaskState } from '../states.ts';

/** What a run's task states make of it; `queued` is the admission's business, not the tasks'. */
export type RunOutcome = 'running' | 'success' | 'failed';

/**
 * Airflow's DagRun.update_state: while any task instance is unfinished the run is running; once all are finished it
 * failed if any leaf (a task nothing depends on) failed or is upstream_failed, else it succeeded (leaves succeeded or
 * were skipped). A failed task in the middle whose downstream tasks ran anyway (all_done, one_failed…) does not fail
 * the run: the leaves decide, as in Airflow. A `removed` task is finished and is no leaf.
 */
export function runStateOf(tasks: readonly Pick<SerializedTask, 'id' | 'upstream'>[], states: Readonly<Record<string, TaskState>>): RunOutcome {
  const stateOf = (id: string): TaskState => states[id] ?? 'none';
  if (tasks.some((t) => !finishedTaskStates.includes(stateOf(t.id)))) return 'running';
  const hasDownstream = new Set(tasks.flatMap((t) => t.upstream));
  const leaves = tasks.filter((t) => !hasDownstream.has(t.id) && stateOf(t.id) !== 'removed');
  return leaves.some((t) => stateOf(t.id) === 'failed' || stateOf(t.id) === 'upstream_failed') ? 'failed' : 'success';
}
