import { z } from 'zod';
import { bounded, configError, SparkifyError } from '../../core/errors.ts';
import type { SqlSession } from '../../engines/engine.ts';

/**
 * What a check expects of its query. equals / a comparison / between: the first column of the first row, as a number
 * (a count, a sum). 'no rows': the query returns none (SELECT … WHERE something is wrong). 'not empty': it returns a
 * row whose first value is neither null nor 0 (SELECT count(*) FROM t, or SELECT * FROM t LIMIT 1), as Airflow's
 * SQLCheckOperator reads a first row.
 */
export type Expectation =
  | { equals: number }
  | { op: '>' | '>=' | '<' | '<=' | '!='; value: number }
  | { between: readonly [number, number] }
  | 'no rows'
  | 'not empty';

export interface QualityCheck {
  name: string;
  sql: string;
  expect: Expectation;
}

export interface CheckResult {
  name: string;
  sql: string;
  expect: Expectation;
  /** The number compared (numeric expectations), or the rows returned ('no rows', 'not empty'); null when none. */
  value: number | null;
  passed: boolean;
  /** Why it failed: what was expected and found, or the query's error. */
  reason?: string;
}

const expectation = z.union([
  z.object({ equals: z.number() }).strict(),
  z.object({ op: z.enum(['>', '>=', '<', '<=', '!=']), value: z.number() }).strict(),
  z.object({ between: z.tuple([z.number(), z.number()]) }).strict().refine((e) => e.between[0] <= e.between[1], 'between: [min, max] with min <= max'),
  z.literal('no rows'),
  z.literal('not empty'),
]);

const checksSchema = z.array(z.object({ name: z.string().min(1), sql: z.string().trim().min(1), expect: expectation }).strict())
  .min(1, 'name at least one check')
  .refine((checks) => new Set(checks.map((c) => c.name)).size === checks.length, 'check names must be unique');

/** The checks, validated once: a bad one is SPK_E_CONFIG naming the field, before any query runs. */
export function compileChecks(checks: unknown): QualityCheck[] {
  const parsed = checksSchema.safeParse(checks);
  if (parsed.success) return parsed.data as QualityCheck[];
  const issue = parsed.error.issues[0];
  const where = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  throw configError(`quality checks${where}: ${issue?.message ?? 'invalid'}`, { issues: parsed.error.issues });
}

/** One check's result from the rows its query returned. */
export function judge(check: QualityCheck, rows: readonly Record<string, unknown>[]): CheckResult {
  const base = { name: check.name, sql: check.sql, expect: check.expect };
  const { expect } = check;
  if (expect === 'no rows') {
    return { ...base, value: rows.length, passed: rows.length === 0, ...(rows.length === 0 ? {} : { reason: `expected no rows, got ${rows.length}` }) };
  }
  const first = rows[0] === undefined ? undefined : Object.values(rows[0])[0];
  if (expect === 'not empty') {
    const passed = rows.length > 0 && first !== null && first !== undefined && numberOf(first) !== 0;
    return { ...base, value: rows.length, passed, ...(passed ? {} : { reason: rows.length === 0 ? 'expected rows, got none' : `expected a first value other than null or 0, got ${String(first)}` }) };
  }
  const value = first === undefined || first === null ? null : numberOf(first);
  if (value === null || Number.isNaN(value)) {
    return { ...base, value: null, passed: false, reason: rows.length === 0 ? 'expected a number, the query returned no rows' : `expected a number, got ${bounded(String(first), 80)}` };
  }
  const [passed, wanted] = compare(expect, value);
  return { ...base, value, passed, ...(passed ? {} : { reason: `expected ${wanted}, got ${value}` }) };
}

function compare(expect: Exclude<Expectation, 'no rows' | 'not empty'>, v: number): [boolean, string] {
  if ('equals' in expect) return [v === expect.equals, `${expect.equals}`];
  if ('between' in expect) return [v >= expect.between[0] && v <= expect.between[1], `between ${expect.between[0]} and ${expect.between[1]}`];
  const n = expect.value;
  const ok = { '>': v > n, '>=': v >= n, '<': v < n, '<=': v <= n, '!=': v !== n }[expect.op];
  return [ok, `${expect.op} ${n}`];
}

/** Drivers hand counts over as bigint (DuckDB) or as text (PostgreSQL's int8, numeric). */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value)) return Number(value);
  return Number.NaN;
}

/** Data quality failed: every failed check is in the message and every result in `results`. */
export class QualityCheckError extends SparkifyError {
  readonly results: CheckResult[];

  constructor(results: CheckResult[]) {
    const failed = results.filter((r) => !r.passed);
    super('SPK_E_QUALITY', `${failed.length} of ${results.length} data quality checks failed: ${failed.map((r) => `${r.name} (${r.reason})`).join('; ')}`,
      { details: { failed: failed.map((r) => r.name), results } });
    this.name = 'QualityCheckError';
    this.results = results;
  }
}

/**
 * Runs every check, each query on its own (outside a transaction, so one check's SQL error leaves the others
 * runnable), and returns every result; if any failed, throws QualityCheckError listing all that failed. A query that
 * fails in the engine (SPK_E_ENGINE: a missing table, bad SQL) is a failed check; losing the engine itself
 * (connection, credentials) is not the data's fault and is thrown as it is, retryable where it is.
 */
export async function runQualityChecks(session: SqlSession, checks: unknown): Promise<CheckResult[]> {
  const compiled = compileChecks(checks);
  const results: CheckResult[] = [];
  for (const check of compiled) {
    try {
      results.push(judge(check, await session.query<Record<string, unknown>>(check.sql)));
    } catch (error) {
      if (error instanceof SparkifyError && error.code !== 'SPK_E_ENGINE') throw error;
      results.push({ name: check.name, sql: check.sql, expect: check.expect, value: null, passed: false, reason: `the query failed: ${bounded((error as Error).message, 300)}` });
    }
  }
  if (results.some((r) => !r.passed)) throw new QualityCheckError(results);
  return results;
}
