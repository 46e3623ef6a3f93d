export const msPerDay = 86_400_000;

/**
 * The time of day of epoch milliseconds `ms` (UTC) as [hour, minute, second, millisecond], written into `parts`
 * (reused by the hot formatters: no allocation per value); returns the day (days since 1970-01-01, floor).
 */
export function splitTimestamp(ms: number, parts: Int32Array): number {
  const day = Math.floor(ms / msPerDay);
  let rest = ms - day * msPerDay;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  parts[0] = hour;
  parts[1] = minute;
  parts[2] = second;
  parts[3] = rest - second * 1000;
  return day;
}
