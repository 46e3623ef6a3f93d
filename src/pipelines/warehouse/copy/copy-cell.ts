import { msPerDay, splitTimestamp } from '../../../core/time-of-day.ts';
import type { CopyType } from '../staging-tables.ts';

/** A converted cell for the CSV that feeds COPY, or why the value does not fit its column. */
export type Cell = string | number | null;

/** Why a value does not fit its column. A class, so the common case (a fitting value) allocates nothing. */
export class CellReject {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

export type CellResult = Cell | CellReject;

const int32 = { min: -0x80000000, max: 0x7fffffff };
const integerText = /^\s*[-+]?\d+\s*$/;
const numberText = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;
/** Redshift's VARCHAR(MAX) is 65,535 bytes. */
const maxVarcharBytes = 65_535;
/** Year 1 to 9999: what TIMESTAMP holds on all three targets. */
const minMs = new Date("0001-01-01T00:00:00.000Z").getTime();
const maxMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const ok = (cell: Cell): CellResult => cell;
const fail = (reason: string): CellResult => new CellReject(reason);

/**
 * Converts one JSON value the way Redshift's COPY does for a column of `type`: numbers into text columns become
 * their text, numeric text into number columns is parsed, "" into a number column is NULL, and everything else
 * that does not fit (a fraction into an integer, an overflow, an object into a number) rejects the record.
 * Timestamps are read with TIMEFORMAT 'epochmillisecs'.
 */
export function copyCell(value: unknown, type: CopyType): CellResult {
  if (value === undefined || value === null) return ok(null);
  switch (type) {
    case 'varchar': {
      if (typeof value === 'object' && nestedDeeperThan(value, maxNesting)) return fail(`JSON nested deeper than ${maxNesting} levels`);
      const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
      // Postgres text cannot hold NUL; reject it everywhere so every target loads the same rows.
      if (text.includes('\u0000')) return fail('NUL character (U+0000) in text');
      if (text.length * 3 > maxVarcharBytes && Buffer.byteLength(text) > maxVarcharBytes) {
        return fail(`String length exceeds DDL length: ${Buffer.byteLength(text)} bytes > ${maxVarcharBytes}`);
      }
      return ok(text);
    }
    case 'integer':
    case 'bigint': {
      const n = toNumber(value, integerText);
      if (n === null) return ok(null);
      if (typeof n === 'string') return fail(`Invalid digit, Value ${n}, Type: ${type === 'integer' ? 'Integer' : 'Long'}`);
      if (!Number.isInteger(n)) return fail(`Invalid digit, Value ${JSON.stringify(value)}, Type: ${type === 'integer' ? 'Integer' : 'Long'} (a fraction)`);
      const inRange = type === 'integer' ? n >= int32.min && n <= int32.max : Number.isSafeInteger(n);
      if (!inRange) return fail(`Overflow, Value ${JSON.stringify(value)}, Type: ${type === 'integer' ? 'Integer' : 'Long'}`);
      return ok(n);
    }
    case 'double': {
      const n = toNumber(value, numberText);
      if (n === null) return ok(null);
      if (typeof n === 'string' || !Number.isFinite(n)) return fail(`Invalid digit, Value ${typeof n === 'string' ? n : JSON.stringify(value)}, Type: Double`);
      return ok(n);
    }
    case 'timestamp': {
      const n = toNumber(value, integerText);
      if (n === null) return ok(null);
      if (typeof n === 'string' || !Number.isInteger(n)) return fail(`Invalid timestamp format or value [epochmillisecs], Value ${typeof n === 'string' ? n : JSON.stringify(value)}`);
      if (n < minMs || n > maxMs) return fail(`Timestamp out of range [epochmillisecs], Value ${n}`);
      return ok(timestampText(n));
    }
  }
}

/**
 * Nesting a text column's JSON may have. JSON.stringify recurses, and a 10 KB line of brackets overflows the stack
 * (at a depth that differs between threads); a fixed limit rejects the same records everywhere. No real record nests so.
 */
export const maxNesting = 1000;

/** Whether `value` has arrays or objects nested more than `limit` deep, found without recursion. */
function nestedDeeperThan(value: object, limit: number): boolean {
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const v = stack.pop() as object;
    const depth = depths.pop() as number;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** A number, null for "" (loaded as NULL), or the quoted text when it is not a number. */
function toNumber(value: unknown, pattern: RegExp): number | null | string {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value.trim() === '') return null;
    return pattern.test(value) ? Number(value) : JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  return typeof value === 'boolean' ? String(value) : typeof value === 'object' ? (Array.isArray(value) ? 'an array' : 'an object') : String(value);
}

/**
 * 'YYYY-MM-DD HH:MM:SS.mmm' in UTC: what every target parses into TIMESTAMP (without time zone). Events arrive
 * roughly in time order, so the date part is kept from the previous call and only the time of day is built.
 */
export function timestampText(ms: number): string {
  const day = splitTimestamp(ms, parts);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * msPerDay).toISOString().slice(0, 10);
  }
  const h = parts[0] as number;
  const m = parts[1] as number;
  const s = parts[2] as number;
  const f = parts[3] as number;
  return `${cachedDate} ${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}.${f < 10 ? '00' : f < 100 ? '0' : ''}${f}`;
}

const parts = new Int32Array(4);
let cachedDay = Number.NaN;
let cachedDate = '';
