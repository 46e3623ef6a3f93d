import { SparkifyError } from '../../core/errors.ts';

export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

/** Milliseconds, or a number and a unit: `'500ms'`, `'30s'`, `'5m'`, `'1h'`, `'2d'`. `'5 minutes'` does not compile. */
export type Duration = number | `${number}${DurationUnit}`;

const unitMs: Record<DurationUnit, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `value` in whole milliseconds; `field` names it in the error (a DAG file may be untyped JavaScript). */
export function durationMs(value: unknown, field: string): number {
  let ms: number | undefined;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
    if (m) ms = Number(m[1]) * unitMs[m[2] as DurationUnit];
  }
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    throw new SparkifyError('SPK_E_DAG_INVALID', `${field}: ${JSON.stringify(value) ?? String(value)} is not a duration (milliseconds, or e.g. '30s', '5m', '1h', '2d')`, { details: { field } });
  }
  return Math.round(ms);
}
