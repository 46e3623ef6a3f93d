import { z } from 'zod';
import { configError } from '../core/errors.ts';
import type { Progress } from '../core/progress.ts';
import { DEFAULT_OFF_CATALOG_SHARE } from './behaviour.ts';

export interface SimulateOptions {
  outDir: string;
  users: number;
  days: number;
  songs: number;
  seed: number;
  /** First day of the run, UTC. Default 2018-11-01, the month of the course sample. */
  start?: Date;
  /** Share of plays of songs that are not in the written catalog (0 to 0.95). Default 0.2. */
  offCatalogShare?: number;
  progress?: Progress;
  /** Wall clock in milliseconds, for the summary's `seconds`; injected so tests can pin it. Default performance.now. */
  clock?: () => number;
}

/** The options after defaults and checks: what the simulator actually runs on. */
export interface CompiledSimulateOptions {
  readonly outDir: string;
  readonly users: number;
  readonly days: number;
  readonly songs: number;
  readonly seed: number;
  readonly start: Date;
  readonly offCatalogShare: number;
}

export const DEFAULT_START = new Date('2018-11-01T00:00:00Z');
// Timestamps must keep 13 digits (and registrations, two weeks earlier, too): the CSV's Excel rendering assumes it.
const EARLIEST_START = new Date('2002-01-01T00:00:00Z');
const LATEST_START = new Date('2286-01-01T00:00:00Z');

const fromText = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);

function wholeNumber(min: number, max: number) {
  const range = `a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
  return z.preprocess(fromText, z.number({ error: `must be ${range}` }).int({ error: `must be ${range}` }).min(min, { error: `must be ${range}` }).max(max, { error: `must be ${range}` }));
}

/** Strict: `2018-02-31` is refused rather than rolled over into March, and a date without a zone is UTC, not local time. */
function parseStart(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const match = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/.exec(value);
  if (match === null) return value;
  const date = new Date(match[2] === undefined ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== match[1] ? value : date;
}

const startDate = z.preprocess(
  parseStart,
  z
    .date({ error: 'must be a UTC date like 2018-11-01 (or an ISO timestamp ending in Z)' })
    .min(EARLIEST_START, { error: 'must be 2002-01-01 or later' })
    .max(LATEST_START, { error: 'must be before 2286-01-01' }),
);

/** One schema for the API and the CLI: the CLI hands over its raw strings and gets the same checks and messages. */
export const simulateOptionsSchema = z.object({
  outDir: z.string({ error: 'must be a folder path' }).min(1, { error: 'must be a folder path' }),
  users: wholeNumber(1, 5_000_000),
  days: wholeNumber(1, 3650),
  songs: wholeNumber(1, 10_000_000),
  seed: wholeNumber(0, 4_294_967_295),
  start: startDate.default(DEFAULT_START),
  offCatalogShare: z.preprocess(fromText, z.number({ error: 'must be a number from 0 to 0.95' }).min(0, { error: 'must be a number from 0 to 0.95' }).max(0.95, { error: 'must be a number from 0 to 0.95' })).default(DEFAULT_OFF_CATALOG_SHARE),
});

/**
 * Applies defaults and checks every rule once, throwing SPK_E_CONFIG naming each bad option. `nameOf` maps an
 * option key to how the caller spells it (the CLI passes `--users` for `users`).
 */
export function compileSimulateOptions(raw: Record<string, unknown>, nameOf: (key: string) => string = (key) => key): CompiledSimulateOptions {
  const parsed = simulateOptionsSchema.safeParse({ ...raw, start: raw.start ?? undefined, offCatalogShare: raw.offCatalogShare ?? undefined });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const got = raw[key];
    const shown = got instanceof Date ? (Number.isNaN(got.getTime()) ? 'an invalid Date' : got.toISOString()) : JSON.stringify(got);
    return `${nameOf(key)} ${issue.message} (got ${shown ?? 'nothing'})`;
  });
  throw configError(problems.join('; '), { problems });
}
