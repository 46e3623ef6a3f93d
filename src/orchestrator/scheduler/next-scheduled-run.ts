import type { SerializedDag } from '../dag/serialized-dag.ts';
import { exactInterval, periodInterval, type RunInterval } from './run-interval.ts';
import { alignNext, alignPrev, gridFor, type ScheduleGrid } from './schedule-grid.ts';

export type TimetableDag = Pick<SerializedDag, 'schedule' | 'timezone' | 'start' | 'end' | 'catchup'>;

/** The data interval of the DAG's latest scheduled run (not manual or backfill runs: they do not move the schedule). */
export interface LastScheduled {
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
}

/**
 * The DAG's next scheduled run after `lastScheduled` (undefined: none yet), as Airflow's
 * `_DataIntervalTimetable.next_dagrun_info` computes it; it may not be due yet (compare `runAfter` with now, or use
 * dueScheduledRuns). Undefined when the schedule has no further run: `none`, `@once` already run, or past `end`.
 * - catchup on: the first run is the first whole interval at or after `start`, then each interval in turn, every
 *   missed one included.
 * - catchup off: never earlier than the latest interval that has ended by `now` (Airflow's `_skip_to_latest`); the
 *   intervals before it are skipped, even when the scheduler was down.
 * - `end`: the last run is the one whose logical date (interval start) is at or before `end`, as in Airflow.
 * - `@once`: one run with the zero-length interval [start, start], due at start, catchup or not (Airflow's
 *   OnceTimetable).
 * Fixed intervals are anchored at `start` even with catchup off, where Airflow rounds now to multiples of the interval
 * since 1970: logical dates stay on one grid whenever the scheduler looks.
 */
export function nextScheduledRun(dag: TimetableDag, lastScheduled: LastScheduled | undefined, now: Date): RunInterval | undefined {
  const start = new Date(dag.start);
  const end = dag.end === null ? undefined : new Date(dag.end);
  if (dag.schedule.kind === 'none') return undefined;
  if (dag.schedule.kind === 'once') {
    if (lastScheduled !== undefined || (end !== undefined && start > end)) return undefined;
    return exactInterval(start);
  }
  const grid = gridFor(dag) as ScheduleGrid;
  const earliest = dag.catchup ? alignNext(grid, start) : latestOf(skipToLatest(grid, now), alignNext(grid, start));
  const from = lastScheduled === undefined ? earliest : latestOf(alignPrev(grid, lastScheduled.dataIntervalEnd), earliest);
  if (end !== undefined && from > end) return undefined;
  return periodInterval(from, grid.after(from));
}

/**
 * The scheduled runs due at `now`, in order, after `lastScheduled`: with catchup every missed interval (at most
 * `limit`, so a 10-year catchup is created in batches), without it at most the latest one.
 */
export function dueScheduledRuns(dag: TimetableDag, lastScheduled: LastScheduled | undefined, now: Date, limit = 1000): RunInterval[] {
  const due: RunInterval[] = [];
  let last = lastScheduled;
  while (due.length < limit) {
    const next = nextScheduledRun(dag, last, now);
    if (next === undefined || next.runAfter > now) break;
    due.push(next);
    last = next;
  }
  return due;
}

/** The start of the latest interval that has ended at `now`: on a tick, the one ending now (Airflow's cron rule). */
function skipToLatest(grid: ScheduleGrid, now: Date): Date {
  const lastTick = grid.before(now);
  return grid.after(lastTick).getTime() === now.getTime() ? lastTick : grid.before(lastTick);
}

const latestOf = (a: Date, b: Date): Date => (a > b ? a : b);
