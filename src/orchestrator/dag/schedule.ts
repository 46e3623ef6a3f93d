import { Cron } from 'croner';
import { dagInvalid } from './dag-invalid.ts';
import { durationMs, type Duration } from './duration.ts';
import { cronPresets as presets, type Schedule } from './serialized-dag.ts';

export type SchedulePreset = '@once' | keyof typeof presets;

/**
 * When a DAG's runs are due: a cron expression (5 fields, in the DAG's time zone), a preset, an interval (`{ every:
 * '15m' }` or milliseconds) from `start`, or null for manual triggers only.
 */
export type ScheduleInput = SchedulePreset | (string & {}) | { every: Duration } | number | null;

/** The serialised form of `input`; a cron expression is checked by croner in `timezone` and must fire at least once. */
export function compileSchedule(input: unknown, timezone: string, field = 'schedule'): Schedule {
  if (input === null || input === undefined) return { kind: 'none' };
  if (input === '@once') return { kind: 'once' };
  if (typeof input === 'number' || (typeof input === 'object' && 'every' in input)) {
    const everyMs = durationMs(typeof input === 'number' ? input : (input as { every: unknown }).every, `${field} interval`);
    if (everyMs < 1000) throw dagInvalid(`${field}: an interval must be at least 1 second, not ${everyMs} ms`, { field });
    return { kind: 'interval', everyMs };
  }
  if (typeof input !== 'string') throw dagInvalid(`${field}: ${JSON.stringify(input)} is not a schedule (a cron expression, a preset, { every }, or null)`, { field });
  const text = input.trim().replace(/\s+/g, ' ');
  const expression = presets[text as keyof typeof presets] ?? text;
  if (expression.startsWith('@')) throw dagInvalid(`${field}: unknown preset ${JSON.stringify(input)} (one of @once, ${Object.keys(presets).join(', ')})`, { field });
  if (expression.split(' ').length !== 5) {
    throw dagInvalid(`${field}: bad cron expression ${JSON.stringify(input)}: it needs 5 fields (minute hour day-of-month month day-of-week)`, { field });
  }
  let cron: Cron;
  try {
    cron = new Cron(expression, { timezone, paused: true });
  } catch (error) {
    throw dagInvalid(`${field}: bad cron expression ${JSON.stringify(input)}: ${error instanceof Error ? error.message : String(error)}`, { field });
  }
  // '0 0 30 2 *' parses but never fires.
  if (cron.nextRun(new Date(0)) === null) throw dagInvalid(`${field}: cron expression ${JSON.stringify(input)} never fires`, { field });
  return { kind: 'cron', expression };
}
