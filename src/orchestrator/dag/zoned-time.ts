import { dagInvalid } from './dag-invalid.ts';

/** Whether `zone` is an IANA time zone this Node knows. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The offset of `zone` from UTC at `instant`, in milliseconds (east positive). */
function offsetMs(zone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - (instant - (instant % 1000 + 1000) % 1000);
}

const wallPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/**
 * The instant of `value` as an ISO UTC string: a Date as it is, an ISO string with `Z` or an offset as it says, and a
 * date or date-time without one as a wall-clock time in `zone` (a time skipped by a DST change moves forward by the
 * gap; a repeated one is its first occurrence).
 */
export function toInstant(value: unknown, zone: string, field: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw dagInvalid(`${field}: an invalid Date`, { field });
    return value.toISOString();
  }
  if (typeof value === 'string') {
    const m = wallPattern.exec(value);
    if (m) {
      const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
      const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')));
      const check = new Date(wall);
      if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) throw dagInvalid(`${field}: ${value} is not a date`, { field });
      // Two passes: the offset at the first guess may differ from the offset at the answer across a DST change.
      const first = wall - offsetMs(zone, wall);
      const second = wall - offsetMs(zone, first);
      return new Date(Math.min(first, second)).toISOString();
    }
    if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
      const parsed = Date.parse(value);
      if (!Number.isNaN(parsed)) return new Date(parsed).toISOString();
    }
  }
  throw dagInvalid(`${field}: ${JSON.stringify(value) ?? String(value)} is not a date (a Date, or ISO 8601 such as '2018-11-01' or '2018-11-01T00:00:00Z')`, { field });
}
