import type { TriggerRule } from '../dag/serialized-dag.ts';
import type { TaskState } from '../states.ts';

/** What a `none` task instance's trigger rule says, given its direct upstream tasks' states. */
export type RuleOutcome = 'run' | 'wait' | 'skipped' | 'upstream_failed';

/** Counts of the direct upstream task instances by state, as Airflow's TriggerRuleDep tallies them. */
export interface UpstreamCounts {
  /** Direct upstream tasks, `removed` ones not counted. */
  total: number;
  success: number;
  failed: number;
  skipped: number;
  upstreamFailed: number;
  /** Finished: success, failed, skipped or upstream_failed. */
  done: number;
}

export function countUpstream(states: readonly TaskState[]): UpstreamCounts {
  const c: UpstreamCounts = { total: 0, success: 0, failed: 0, skipped: 0, upstreamFailed: 0, done: 0 };
  for (const s of states) {
    // A removed upstream is a task the run's DAG version no longer has: it neither blocks nor counts.
    if (s === 'removed') continue;
    c.total++;
    if (s === 'success') c.success++;
    else if (s === 'failed') c.failed++;
    else if (s === 'skipped') c.skipped++;
    else if (s === 'upstream_failed') c.upstreamFailed++;
  }
  c.done = c.success + c.failed + c.skipped + c.upstreamFailed;
  return c;
}

/**
 * Airflow's trigger rules (TriggerRuleDep with flag_upstream_failed, as the scheduler evaluates them). A task without
 * upstream tasks runs whatever its rule. A verdict of skipped/upstream_failed is given as soon as it is certain, even
 * while other upstream tasks still run; `up_for_retry` counts as not done (a retry may still succeed).
 * - all_success: any failed/upstream_failed → upstream_failed; else any skipped → skipped; runs when all succeeded.
 * - all_failed: any success or skipped → skipped; runs when all failed or upstream_failed.
 * - all_done: runs when all are finished, whatever their states.
 * - one_success: runs as soon as one succeeded; all finished and all skipped → skipped; all finished, none
 *   succeeded → upstream_failed.
 * - one_failed: runs as soon as one failed or upstream_failed; all finished and none failed → skipped.
 * - none_failed: any failed/upstream_failed → upstream_failed; runs when all finished (succeeded or skipped).
 * - none_skipped: any skipped → skipped; runs when all finished (a failed upstream does not stop it).
 * - always: runs at once, without waiting for upstream tasks.
 */
export function evaluateTriggerRule(rule: TriggerRule, up: UpstreamCounts): RuleOutcome {
  if (up.total === 0) return 'run';
  const allDone = up.done >= up.total;
  const failures = up.failed + up.upstreamFailed;
  switch (rule) {
    case 'all_success':
      if (failures > 0) return 'upstream_failed';
      if (up.skipped > 0) return 'skipped';
      return up.success === up.total ? 'run' : 'wait';
    case 'all_failed':
      if (up.success > 0 || up.skipped > 0) return 'skipped';
      return failures === up.total ? 'run' : 'wait';
    case 'all_done':
      return allDone ? 'run' : 'wait';
    case 'one_success':
      if (up.success > 0) return 'run';
      if (!allDone) return 'wait';
      return up.skipped === up.total ? 'skipped' : 'upstream_failed';
    case 'one_failed':
      if (failures > 0) return 'run';
      return allDone ? 'skipped' : 'wait';
    case 'none_failed':
      if (failures > 0) return 'upstream_failed';
      return allDone ? 'run' : 'wait';
    case 'none_skipped':
      if (up.skipped > 0) return 'skipped';
      return allDone ? 'run' : 'wait';
    case 'always':
      return 'run';
  }
}
