/**
 * A compact, allocation-light record validator. Record schemas are tables of field specs rather than zod
 * objects because the readers validate millions of records per second; the spec tables double as
 * documentation of each format and feed the CSV and SQL column lists.
 */
/** 'int32': an integer the warehouse keeps in a 32-bit column, where a larger one would fail the whole COPY. */
export type FieldType = 'string' | 'integer' | 'int32' | 'number';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** null (or, for a missing key, absent) is allowed. */
  readonly nullable: boolean;
}

export interface FieldProblem {
  field: string;
  reason: string;
}

/** `coerced` names the fields repaired on the way: a number taken as text, a lone surrogate made U+FFFD. */
export type Validated<T> = { ok: true; record: T; coerced: string[] } | { ok: false; problem: FieldProblem };

/** Checks a parsed JSON value against `specs`; unknown keys are ignored, as Redshift's COPY 'auto' does. */
export function validateObject<T>(value: unknown, specs: readonly FieldSpec[]): Validated<T> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: { field: '', reason: `expected a JSON object, got ${describe(value)}` } };
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let coerced: string[] | undefined;
  for (const spec of specs) {
    const v = source[spec.name];
    if (v === undefined || v === null) {
      if (!spec.nullable) {
        return { ok: false, problem: { field: spec.name, reason: v === undefined ? 'missing required field' : 'null in a required field' } };
      }
      out[spec.name] = null;
      continue;
    }
    if (spec.type === 'string' && typeof v === 'number' && Number.isFinite(v)) {
      // Real song files hold artists named 112 or 2562 written as JSON numbers; like Redshift's COPY into a
      // varchar column, take the number's text rather than lose the song.
      out[spec.name] = String(v);
      (coerced ??= []).push(spec.name);
      continue;
    }
    const problem = checkType(v, spec.type);
    if (problem !== undefined) return { ok: false, problem: { field: spec.name, reason: problem } };
    // A lone surrogate (JSON's "\ud800") has no UTF-8: every table stores it as U+FFFD, a repair worth counting.
    // isWellFormed is constant-time on one-byte strings, nearly all of them.
    if (spec.type === 'string' && !(v as string).isWellFormed()) {
      out[spec.name] = (v as string).toWellFormed();
      (coerced ??= []).push(spec.name);
      continue;
    }
    out[spec.name] = v;
  }
  return { ok: true, record: out as T, coerced: coerced ?? noneCoerced };
}

const noneCoerced: string[] = [];

export function checkType(v: unknown, type: FieldType): string | undefined {
  switch (type) {
    case 'string':
      if (typeof v !== 'string') return `expected a string, got ${describe(v)}`;
      // JSON allows \u0000 but Postgres text cannot hold it: one such value would fail the whole load at COPY.
      return v.includes('\u0000') ? 'NUL character (U+0000) in text' : undefined;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : `expected a number, got ${describe(v)}`;
    case 'integer':
      return typeof v === 'number' && Number.isSafeInteger(v) ? undefined : `expected an integer, got ${describe(v)}`;
    case 'int32':
      return typeof v === 'number' && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff ? undefined : `expected a 32-bit integer, got ${describe(v)}`;
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
