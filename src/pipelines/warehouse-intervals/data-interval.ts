import { configError } from '../../core/errors.ts';

/**
 * A run's data interval, [start, end), as instants. Staging holds event times as UTC wall-clock TIMESTAMPs
 * (copy-cell.ts: timestampText), so the bounds are compared in UTC whatever time zone the schedule was written in.
 */
export interface DataInterval {
  readonly start: Date;
  readonly end: Date;
}

export function checkInterval(interval: DataInterval): DataInterval {
  const { start, end } = interval;
  if (!(start instanceof Date) || !(end instanceof Date) || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw configError('a data interval needs a valid start and end');
  }
  if (start.getTime() >= end.getTime()) {
    throw configError(`a data interval must end after it starts: [${start.toISOString()}, ${end.toISOString()})`);
  }
  return interval;
}

/**
 * The instant as a SQL TIMESTAMP literal both targets parse alike. A literal, not a bound parameter: PostgreSQL takes
 * no parameters in CREATE TABLE … AS, and the plan stays printable. Built from a Date, so nothing of a caller's text
 * reaches the SQL.
 */
export function timestampLiteral(at: Date): string {
  return `TIMESTAMP '${at.toISOString().slice(0, 23).replace('T', ' ')}'`;
}

/** `sql` with :interval_start and :interval_end replaced by the interval's bounds. */
export function bindInterval(sql: string, interval: DataInterval): string {
  checkInterval(interval);
  return sql.replaceAll(':interval_start', timestampLiteral(interval.start)).replaceAll(':interval_end', timestampLiteral(interval.end));
}

/** The hours of [start, end), in order: what an hourly schedule's catch-up runs. */
export function hourlyIntervals(start: Date, end: Date): DataInterval[] {
  const out: DataInterval[] = [];
  for (let t = start.getTime(); t < end.getTime(); t += 3_600_000) out.push({ start: new Date(t), end: new Date(Math.min(t + 3_600_000, end.getTime())) });
  return out;
}
