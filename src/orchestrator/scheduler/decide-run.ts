import type { SerializedTask } from '../dag/serialized-dag.ts';
import type { TaskState } from '../states.ts';
import { runStateOf, type RunOutcome } from './run-state.ts';
import { topologicalOrder } from './topological-order.ts';
import { countUpstream, evaluateTriggerRule } from './trigger-rules.ts';

export type DecisionTask = Pick<SerializedTask, 'id' | 'upstream' | 'triggerRule' | 'dependsOnPast'>;

export interface RunDecisionInput {
  tasks: readonly DecisionTask[];
  /** The run's task instances' states by task id; a task without one counts as `none`. */
  states: Readonly<Record<string, TaskState>>;
  /**
   * The previous run's states by task id, for depends_on_past: the run before this one by logical date (Airflow:
   * the previous scheduled run when catchup is on). Undefined when this is the DAG's first run.
   */
  previousRun?: Readonly<Record<string, TaskState>>;
}

export interface RunDecisions {
  /** `none` → `scheduled`: trigger rule met (and the previous run's instance succeeded or skipped). */
  schedule: string[];
  /** `none` → `skipped`. */
  skip: string[];
  /** `none` → `upstream_failed`. */
  upstreamFailed: string[];
  /** Trigger rule met, but depends_on_past holds them until the previous run's instance succeeds or is skipped. */
  waitingOnPast: string[];
  /** Every task's state once the changes above are applied. */
  states: Record<string, TaskState>;
  /** The run's state after them. */
  runState: RunOutcome;
}

/**
 * One pass of the scheduler over a run, as pure data: which `none` task instances change, and the run's state after.
 * Tasks are visited upstream first and each verdict is applied before its downstream tasks are looked at, so a failure
 * propagates down a whole chain (upstream_failed, skipped) in one pass, where Airflow's scheduler needs a loop per
 * level. Only `none` instances are decided: the others belong to the executor, the retry timer or a clear.
 */
export function decideRun(input: RunDecisionInput): RunDecisions {
  const states: Record<string, TaskState> = {};
  for (const t of input.tasks) states[t.id] = input.states[t.id] ?? 'none';
  const decisions: RunDecisions = { schedule: [], skip: [], upstreamFailed: [], waitingOnPast: [], states, runState: 'running' };
  for (const task of topologicalOrder(input.tasks)) {
    if (states[task.id] !== 'none') continue;
    const outcome = evaluateTriggerRule(task.triggerRule, countUpstream(task.upstream.map((u) => states[u] as TaskState)));
    if (outcome === 'skipped') {
      states[task.id] = 'skipped';
      decisions.skip.push(task.id);
    } else if (outcome === 'upstream_failed') {
      states[task.id] = 'upstream_failed';
      decisions.upstreamFailed.push(task.id);
    } else if (outcome === 'run') {
      if (task.dependsOnPast && !pastAllows(input.previousRun, task.id)) {
        decisions.waitingOnPast.push(task.id);
      } else {
        states[task.id] = 'scheduled';
        decisions.schedule.push(task.id);
      }
    }
  }
  decisions.runState = runStateOf(input.tasks, states);
  return decisions;
}

/**
 * Airflow's PrevDagrunDep: the first run passes; a task the previous run did not have passes (Airflow's
 * ignore_first_depends_on_past, on by default); otherwise the previous instance must have succeeded or been skipped.
 */
function pastAllows(previousRun: Readonly<Record<string, TaskState>> | undefined, taskId: string): boolean {
  if (previousRun === undefined) return true;
  const previous = previousRun[taskId];
  return previous === undefined || previous === 'success' || previous === 'skipped';
}
