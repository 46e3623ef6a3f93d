import { SparkifyError } from '../../core/errors.ts';
import type { TimetableDag } from './next-scheduled-run.ts';
import { exactInterval, periodInterval, type RunInterval } from './run-interval.ts';
import { alignNext, gridFor, type ScheduleGrid } from './schedule-grid.ts';

export interface IntervalsBetweenOptions {
  /** Only intervals that have ended strictly before `now` (`airflow backfill create` drops the others). */
  now?: Date;
  /** At most this many (a guard against a typo'd year: 1000 years of hourly runs is 8.8M intervals). */
  limit?: number;
}

/**
 * The runs a backfill from `from` to `to` covers, oldest first, as `airflow backfill create --from-date --to-date`
 * picks them (`iter_dagrun_infos_between`): every interval whose logical date (start) lies in [from, to], both ends
 * inclusive, `from` rounded up to the schedule's next tick; an interval may end after `to`. With `now`, only intervals
 * that ended before it. Unlike Airflow, the range is also clipped to the DAG's own `start` and `end`: a DAG's start
 * says where its data begins. `@once`: its single run if `start` is in the range; `none`: no runs.
 */
export function intervalsBetween(dag: TimetableDag, from: Date, to: Date, options: IntervalsBetweenOptions = {}): RunInterval[] {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from > to) {
    throw new SparkifyError('SPK_E_CONFIG', `a backfill's start must be a date at or before its end (got ${String(from)} .. ${String(to)})`, {
      details: { from: String(from), to: String(to) },
    });
  }
  const limit = options.limit ?? 100_000;
  const start = new Date(dag.start);
  const last = dag.end !== null && new Date(dag.end) < to ? new Date(dag.end) : to;
  const ended = (run: RunInterval) => options.now === undefined || run.dataIntervalEnd < options.now;
  if (dag.schedule.kind === 'none') return [];
  if (dag.schedule.kind === 'once') {
    const run = exactInterval(start);
    return start >= from && start <= last && ended(run) ? [run] : [];
  }
  const grid = gridFor(dag) as ScheduleGrid;
  const runs: RunInterval[] = [];
  for (let t = alignNext(grid, from > start ? from : start); t <= last; ) {
    const next = grid.after(t);
    const run = periodInterval(t, next);
    if (!ended(run)) break;
    if (runs.length === limit) {
      throw new SparkifyError('SPK_E_CONFIG', `a backfill from ${from.toISOString()} to ${to.toISOString()} covers more than ${limit} runs`, {
        details: { limit },
      });
    }
    runs.push(run);
    t = next;
  }
  return runs;
}
