import type { SerializedDag } from '../dag/serialized-dag.ts';
import { exactInterval, periodInterval, type RunInterval } from './run-interval.ts';
import { alignPrev, gridFor, type ScheduleGrid } from './schedule-grid.ts';

type Dag = Pick<SerializedDag, 'schedule' | 'timezone' | 'start'>;

/**
 * The data interval of a manual trigger with logical date `logicalDate`, as Airflow infers it
 * (`infer_manual_data_interval(run_after=logical_date)`): the last whole period that has ended at `logicalDate`, so a
 * run triggered "now" covers complete data. The logical date stays the one given: for an hourly DAG, a trigger at
 * 05:00 covers [04:00, 05:00), while the scheduled run with logical date 05:00 covers [05:00, 06:00) — Airflow's
 * well-known surprise; use scheduledRunAt to reproduce a scheduled run. A fixed interval covers
 * [logicalDate - every, logicalDate]; `none` and `@once` get the zero-length interval at the logical date.
 * Runs at once: a manual run's runAfter is its logical date's interval end, which is never after the logical date.
 */
export function manualRunInterval(dag: Dag, logicalDate: Date): RunInterval {
  const grid = gridFor(dag);
  if (grid === undefined) return exactInterval(logicalDate);
  const end = dag.schedule.kind === 'interval' ? logicalDate : alignPrev(grid, logicalDate);
  const start = dag.schedule.kind === 'interval' ? new Date(logicalDate.getTime() - dag.schedule.everyMs) : grid.before(end);
  return { logicalDate, dataIntervalStart: start, dataIntervalEnd: end, runAfter: end };
}

/**
 * The interval a scheduled run with logical date `logicalDate` has: [t, next tick), with `t` the logical date rounded
 * down to the schedule (so `sparkify dags test --date 2018-11-01T05:00Z` covers exactly what the scheduled run of
 * 05:00 covers). `none` and `@once`: the zero-length interval at the date.
 */
export function scheduledRunAt(dag: Dag, logicalDate: Date): RunInterval {
  const grid: ScheduleGrid | undefined = gridFor(dag);
  if (grid === undefined) return exactInterval(logicalDate);
  const start = alignPrev(grid, logicalDate);
  return periodInterval(start, grid.after(start));
}
