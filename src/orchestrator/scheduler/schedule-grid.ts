import { Cron } from 'croner';
import { SparkifyError } from '../../core/errors.ts';
import { cronPresets, type Schedule, type SerializedDag } from '../dag/serialized-dag.ts';

/**
 * The instants a periodic schedule ticks at, as one ordered line: every data interval runs from one tick to the next.
 * `after`/`before` are strict, like croniter's get_next/get_prev that Airflow's timetables stand on.
 */
export interface ScheduleGrid {
  /** The first tick strictly after `t`. */
  after(t: Date): Date;
  /** The last tick strictly before `t`. */
  before(t: Date): Date;
}

export function cronExpression(expression: string): string {
  return (cronPresets as Readonly<Record<string, string>>)[expression.trim().toLowerCase()] ?? expression.trim();
}

/** Throws SPK_E_DAG_INVALID unless `timezone` is an IANA zone this runtime knows. */
export function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch (cause) {
    throw new SparkifyError('SPK_E_DAG_INVALID', `unknown time zone '${timezone}' (an IANA name such as UTC or Europe/Berlin)`, {
      cause,
      details: { timezone },
    });
  }
}

/**
 * A cron expression (or preset) evaluated in `timezone` by croner. Five fields only, as Airflow asks (croniter's sixth
 * field would be seconds at the end, croner's at the start: accepting either would mean two readings of one text).
 * Day-of-month and day-of-week combine with OR (Vixie cron, croniter and croner's default).
 * DST (croner, as Vixie cron): a fixed-time job whose time falls in a spring-forward gap runs at the first instant
 * after the gap, on that day; one whose time occurs twice on fall-back runs once, at the first occurrence. A job with
 * a wildcard, step, range or list in minutes or hours (e.g. @hourly) runs in real time: the gap's hour does not
 * exist, so it is not run; the repeated hour runs twice. Airflow gets the same from its `_covers_every_hour` fix.
 */
export function cronGrid(expression: string, timezone: string): ScheduleGrid {
  checkTimezone(timezone);
  const pattern = cronExpression(expression);
  let cron: Cron;
  try {
    cron = new Cron(pattern, { timezone, mode: '5-part', paused: true });
  } catch (cause) {
    throw new SparkifyError('SPK_E_DAG_INVALID', `bad cron expression '${expression}': ${(cause as Error).message}`, {
      cause,
      details: { expression },
    });
  }
  const never = (t: Date, way: string): never => {
    throw new SparkifyError('SPK_E_DAG_INVALID', `cron expression '${expression}' has no tick ${way} ${t.toISOString()}`, {
      details: { expression },
    });
  };
  return {
    after: (t) => cron.nextRun(t) ?? never(t, 'after'),
    before: (t) => cron.previousRuns(1, t)[0] ?? never(t, 'before'),
  };
}

/**
 * A fixed interval, anchored at the DAG's start: ticks at start + k·every for every integer k (negative too, so a
 * manual run before start still has an interval). Real milliseconds, no calendar: 1 h is 1 h across DST.
 */
export function intervalGrid(everyMs: number, anchor: Date): ScheduleGrid {
  if (!Number.isSafeInteger(everyMs) || everyMs <= 0) {
    throw new SparkifyError('SPK_E_DAG_INVALID', `a schedule's interval must be a positive whole number of ms, not ${everyMs}`, {
      details: { everyMs },
    });
  }
  const a = anchor.getTime();
  return {
    after: (t) => new Date(a + (Math.floor((t.getTime() - a) / everyMs) + 1) * everyMs),
    before: (t) => new Date(a + (Math.ceil((t.getTime() - a) / everyMs) - 1) * everyMs),
  };
}

/** The grid of a periodic schedule; undefined for `none` and `once`, which have none. */
export function gridFor(dag: Pick<SerializedDag, 'schedule' | 'timezone' | 'start'>): ScheduleGrid | undefined {
  const schedule: Schedule = dag.schedule;
  switch (schedule.kind) {
    case 'cron':
      return cronGrid(schedule.expression, dag.timezone);
    case 'interval':
      return intervalGrid(schedule.everyMs, new Date(dag.start));
    case 'none':
    case 'once':
      return undefined;
  }
}

/** `t` if it is a tick, else the first tick after it (Airflow's _align_to_next). */
export function alignNext(grid: ScheduleGrid, t: Date): Date {
  const next = grid.after(t);
  return grid.before(next).getTime() === t.getTime() ? t : next;
}

/** `t` if it is a tick, else the last tick before it (Airflow's _align_to_prev). */
export function alignPrev(grid: ScheduleGrid, t: Date): Date {
  const prev = grid.before(t);
  return grid.after(prev).getTime() === t.getTime() ? t : prev;
}
