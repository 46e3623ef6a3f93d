import type { CopyType, StagingColumn } from '../staging-tables.ts';
import { msPerDay, splitTimestamp } from '../../core/time-of-day.ts';
import { putCodePoint } from '../../core/utf8-bytes.ts';
import type { JsonFormat } from './json-format.ts';
import { parseJsonPath } from './json-format.ts';

/** A growing byte buffer of COPY CSV rows, in an ArrayBuffer of its own (so it can be transferred to another thread). */
export class CsvOut {
  buffer: Uint8Array<ArrayBuffer>;
  length = 0;

  constructor(capacity: number) {
    this.buffer = new Uint8Array(Math.max(64, capacity));
  }

  ensure(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(2 * this.buffer.length, this.length + bytes));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }

  /** ASCII text (what numbers and timestamps print as). */
  ascii(text: string): void {
    this.ensure(text.length);
    const buffer = this.buffer;
    let n = this.length;
    for (let i = 0; i < text.length; i++) buffer[n++] = text.charCodeAt(i);
    this.length = n;
  }

  /** Any text, as UTF-8 (the rows of the reference path). */
  text(text: string): void {
    this.ensure(3 * text.length);
    this.length += Buffer.from(this.buffer.buffer, 0, this.buffer.length).write(text, this.length, 'utf8');
  }

  bytes(): Uint8Array<ArrayBuffer> {
    return this.buffer.subarray(0, this.length);
  }
}

// What a field of the record held: its slot's kind.
const ABSENT = 0;
const NULL = 1;
const STRING = 2;
const ESCAPED = 3;
const NUMBER = 4;
const TRUE = 5;
const FALSE = 6;
/** A number with a fraction or an exponent. */
const DECIMAL = 7;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;

/** Redshift's VARCHAR(MAX); a line no longer than this cannot hold a longer string, so no length check is needed. */
const maxLineBytes = 65_535;
const int32Min = -0x80000000;
const int32Max = 0x7fffffff;
const minMs = new Date('0001-01-01T00:00:00.000Z').getTime();
const maxMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const latin1 = new TextDecoder('latin1');
/** Bytes a string's scan stops at: the quote, the backslash, control characters and non-ASCII. */
const special = new Uint8Array(256).map((_, x) => (x === QUOTE || x === BACKSLASH || x < SPACE || x >= 0x80 ? 1 : 0));

/**
 * The common record, converted straight from its bytes into a COPY CSV row: one flat JSON object on one line, ASCII
 * only, keys without escapes, each key once, values strings, numbers, true, false or null. That is every line the
 * simulator and eventsim write. It checks the JSON grammar and applies copyCell's rules (copy-cell.ts) to the bytes,
 * with no JSON.parse, no value objects and no strings for most fields. Any record it cannot vouch for — a reject, a
 * duplicate key, an escape it does not know, a nested value, a number in a text column written differently from how
 * JavaScript prints it — it declines with nothing written, and the caller converts it the reference way
 * (copy-records.ts), so both produce the same bytes (test/warehouse/record-bytes.test.ts holds them to it).
 */
export class RecordBytes {
  private readonly keys: Uint8Array[];
  private readonly types: CopyType[];
  private readonly ignoreCase: boolean;
  private readonly kind: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  /** Set by scanNumber: whether the token has a fraction or exponent, and where its integer digits end. */
  private fraction = false;
  private integerEnd = 0;

  /** The scanner for a COPY's columns and JSON format, or undefined when the format maps fields it cannot follow. */
  static for(columns: readonly StagingColumn[], format: JsonFormat, jsonPaths?: string): RecordBytes | undefined {
    let keys: string[];
    if (format.mode === 'jsonpaths') {
      let list: unknown;
      try {
        list = (JSON.parse(jsonPaths ?? '') as { jsonpaths?: unknown }).jsonpaths;
      } catch {
        return undefined;
      }
      if (!Array.isArray(list) || list.length !== columns.length) return undefined;
      const steps = (list as string[]).map((p) => parseJsonPath(p, ''));
      if (!steps.every((s) => s.length === 1 && typeof s[0] === 'string')) return undefined;
      keys = steps.map((s) => s[0] as string);
    } else {
      keys = columns.map((c) => c.name);
    }
    // A key read through the prototype (constructor, __proto__) or named twice is left to the reference path.
    if (new Set(keys).size !== keys.length || keys.some((k) => k in Object.prototype || !/^[\x20-\x7e]*$/.test(k) || k.includes('"') || k.includes('\\'))) return undefined;
    const ignoreCase = format.mode === 'auto ignorecase';
    if (ignoreCase && new Set(keys.map((k) => k.toLowerCase())).size !== keys.length) return undefined;
    return new RecordBytes(keys.map((k) => Buffer.from(ignoreCase ? k.toLowerCase() : k, 'latin1')), columns.map((c) => c.type), ignoreCase);
  }

  private constructor(keys: Uint8Array[], types: CopyType[], ignoreCase: boolean) {
    this.keys = keys;
    this.types = types;
    this.ignoreCase = ignoreCase;
    this.kind = new Int32Array(keys.length);
    this.start = new Int32Array(keys.length);
    this.end = new Int32Array(keys.length);
  }

  /**
   * Converts the record in b[from, to) (a line without its line break) into one CSV row on `out`; false, with
   * nothing written, when it declines.
   */
  row(b: Uint8Array, from: number, to: number, out: CsvOut): boolean {
    if (to - from > maxLineBytes || !this.scan(b, from, to)) return false;
    const mark = out.length;
    // Text at most doubles (quotes); a number or timestamp cell is at most ~30 bytes whatever its token.
    out.ensure(2 * (to - from) + 32 * this.keys.length + 64);
    const kinds = this.kind;
    for (let c = 0; c < kinds.length; c++) {
      if (c > 0) out.buffer[out.length++] = COMMA;
      const kind = kinds[c] as number;
      if (kind === ABSENT || kind === NULL) continue;
      if (!this.cell(b, c, kind, out)) {
        out.length = mark;
        return false;
      }
    }
    out.buffer[out.length++] = NEWLINE;
    return true;
  }

  /** Checks the record's grammar and notes where each column's value lies (kind, start, end). */
  private scan(b: Uint8Array, from: number, to: number): boolean {
    const kinds = this.kind;
    kinds.fill(ABSENT);
    let i = from;
    if (b[i] !== 0x7b) return false;
    i = skipSpaces(b, i + 1, to);
    if (b[i] === 0x7d) return trailingSpace(b, i + 1, to);
    let next = 0;
    for (;;) {
      if (i >= to || b[i] !== QUOTE) return false;
      const keyStart = i + 1;
      let k = keyStart;
      let column: number;
      // Records list their keys in the columns' order: the expected key, then its closing quote, is checked in one go.
      const expected = this.keys[next];
      if (expected !== undefined && !this.ignoreCase && b[keyStart + expected.length] === QUOTE && keyStart + expected.length < to && this.same(expected, b, keyStart, keyStart + expected.length)) {
        column = next;
        k = keyStart + expected.length;
      } else {
        for (; k < to; k++) {
          const x = b[k] as number;
          if (x === QUOTE) break;
          if (x < SPACE || x >= 0x7f || x === BACKSLASH) return false;
        }
        if (k >= to) return false;
        column = this.column(b, keyStart, k, next);
      }
      i = skipSpaces(b, k + 1, to);
      if (b[i] !== 0x3a) return false;
      i = skipSpaces(b, i + 1, to);
      if (i >= to) return false;
      const x = b[i] as number;
      let kind: number;
      let valueStart = i;
      let valueEnd: number;
      if (x === QUOTE) {
        kind = STRING;
        valueStart = i + 1;
        let j = valueStart;
        for (; j < to; j++) {
          const y = b[j] as number;
          // One table lookup for the common byte; the four that matter are told apart only when met.
          if (special[y] === 0) continue;
          if (y === QUOTE) break;
          if (y === BACKSLASH) {
            kind = ESCAPED;
            j++;
          } else {
            return false;
          }
        }
        if (j >= to) return false;
        valueEnd = j;
        i = j + 1;
      } else if (x === MINUS || (x >= ZERO && x <= NINE)) {
        valueEnd = this.scanNumber(b, i, to);
        if (valueEnd < 0) return false;
        kind = this.fraction ? DECIMAL : NUMBER;
        i = valueEnd;
      } else if (x === 0x6e && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c) {
        kind = NULL;
        i += 4;
        valueEnd = i;
      } else if (x === 0x74 && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65) {
        kind = TRUE;
        i += 4;
        valueEnd = i;
      } else if (x === 0x66 && b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65) {
        kind = FALSE;
        i += 5;
        valueEnd = i;
      } else {
        return false;
      }
      if (i > to) return false;
      if (column < 0) {
        // An ignored field is still parsed by JSON.parse: its escapes must be valid, which only unescape() checks.
        if (kind === ESCAPED) return false;
      } else {
        if (kinds[column] !== ABSENT) return false;
        kinds[column] = kind;
        this.start[column] = valueStart;
        this.end[column] = valueEnd;
        next = column + 1;
      }
      i = skipSpaces(b, i, to);
      if (b[i] === COMMA && i < to) {
        i = skipSpaces(b, i + 1, to);
        continue;
      }
      if (b[i] === 0x7d && i < to) return trailingSpace(b, i + 1, to);
      return false;
    }
  }

  /** The column a key names (the one after the previous key's first, as records list them in order), or -1. */
  private column(b: Uint8Array, from: number, to: number, guess: number): number {
    const keys = this.keys;
    if (guess < keys.length && this.same(keys[guess] as Uint8Array, b, from, to)) return guess;
    for (let c = 0; c < keys.length; c++) if (c !== guess && this.same(keys[c] as Uint8Array, b, from, to)) return c;
    return -1;
  }

  private same(key: Uint8Array, b: Uint8Array, from: number, to: number): boolean {
    if (key.length !== to - from) return false;
    if (this.ignoreCase) {
      for (let i = 0; i < key.length; i++) {
        let x = b[from + i] as number;
        if (x >= 0x41 && x <= 0x5a) x += 0x20;
        if (key[i] !== x) return false;
      }
      return true;
    }
    for (let i = 0; i < key.length; i++) if (key[i] !== b[from + i]) return false;
    return true;
  }

  /** A JSON number's end, or -1; sets `fraction` (a fraction or an exponent) and `integerEnd`. */
  private scanNumber(b: Uint8Array, from: number, to: number): number {
    let i = from;
    if (b[i] === MINUS) i++;
    if (b[i] === ZERO) i++;
    else if (isDigit(b[i])) while (i < to && isDigit(b[i])) i++;
    else return -1;
    this.integerEnd = i;
    this.fraction = false;
    if (b[i] === 0x2e && i < to) {
      i++;
      if (!isDigit(b[i]) || i >= to) return -1;
      while (i < to && isDigit(b[i])) i++;
      this.fraction = true;
    }
    if ((b[i] === 0x65 || b[i] === 0x45) && i < to) {
      i++;
      if ((b[i] === 0x2b || b[i] === MINUS) && i < to) i++;
      if (!isDigit(b[i]) || i >= to) return -1;
      while (i < to && isDigit(b[i])) i++;
      this.fraction = true;
    }
    return i;
  }

  /** Writes column c's value as its CSV cell; false when copyCell would not take it as is (left to the reference). */
  private cell(b: Uint8Array, c: number, kind: number, out: CsvOut): boolean {
    const from = this.start[c] as number;
    const to = this.end[c] as number;
    const type = this.types[c] as CopyType;
    if (type === 'varchar') {
      if (kind === STRING) {
        out.buffer[out.length++] = QUOTE;
        copyBytes(b, from, to, out);
        out.buffer[out.length++] = QUOTE;
        return true;
      }
      if (kind === ESCAPED) return unescape(b, from, to, out);
      if (kind === TRUE || kind === FALSE) {
        out.ascii(kind === TRUE ? '"true"' : '"false"');
        return true;
      }
      // A number into text: JavaScript's shortest form of the parsed value, as String() prints it.
      out.ascii(`"${String(Number(latin1Text(b, from, to)))}"`);
      return true;
    }
    let value: number;
    if (kind === NUMBER) {
      value = to - from <= 15 ? integerValue(b, from, to) : Number(latin1Text(b, from, to));
    } else if (kind === DECIMAL) {
      value = decimalValue(b, from, to);
    } else if (kind === STRING) {
      // Numeric text: "" is NULL; plain digits (with a minus) are read; anything else is the reference's to judge.
      if (from === to) return true;
      value = digitsValue(b, from, to);
      if (Number.isNaN(value)) return false;
    } else {
      return false;
    }
    switch (type) {
      case 'integer':
        if (!Number.isInteger(value) || value < int32Min || value > int32Max) return false;
        break;
      case 'bigint':
        if (!Number.isSafeInteger(value)) return false;
        break;
      case 'double':
        if (!Number.isFinite(value)) return false;
        break;
      case 'timestamp':
        if (!Number.isInteger(value) || value < minMs || value > maxMs) return false;
        timestampCell(value, out);
        return true;
    }
    // Short integers print as their digits; -0 and the rest as String() prints them.
    if (kind === STRING || (kind === NUMBER && to - from <= 15 && !Object.is(value, -0))) {
      if (kind === STRING && (b[from] === ZERO || (b[from] === MINUS && b[from + 1] === ZERO))) out.ascii(String(value));
      else copyBytes(b, from, to, out);
    } else if (kind !== DECIMAL || !plainDecimal(b, from, to, value, out)) {
      out.ascii(String(value));
    }
    return true;
  }

}

/** A JSON integer token of at most 15 characters (so exact): its value, -0 included. */
function integerValue(b: Uint8Array, from: number, to: number): number {
  const negative = b[from] === MINUS;
  let v = 0;
  for (let i = negative ? from + 1 : from; i < to; i++) v = v * 10 + ((b[i] as number) - ZERO);
  return negative ? -v : v;
}

const parts = new Int32Array(4);
let cachedDay = Number.NaN;
const cachedDate = new Uint8Array(10);

/** timestampText's cell ('"YYYY-MM-DD HH:MM:SS.mmm"') written as bytes; the date is kept from the previous call. */
function timestampCell(ms: number, out: CsvOut): void {
  const day = splitTimestamp(ms, parts);
  if (day !== cachedDay) {
    cachedDay = day;
    const date = new Date(day * msPerDay).toISOString();
    for (let i = 0; i < 10; i++) cachedDate[i] = date.charCodeAt(i);
  }
  out.ensure(26);
  const buffer = out.buffer;
  let n = out.length;
  buffer[n++] = QUOTE;
  for (let i = 0; i < 10; i++) buffer[n++] = cachedDate[i] as number;
  buffer[n++] = SPACE;
  const h = parts[0] as number;
  const m = parts[1] as number;
  const s = parts[2] as number;
  const f = parts[3] as number;
  buffer[n++] = ZERO + ((h / 10) | 0);
  buffer[n++] = ZERO + (h % 10);
  buffer[n++] = 0x3a;
  buffer[n++] = ZERO + ((m / 10) | 0);
  buffer[n++] = ZERO + (m % 10);
  buffer[n++] = 0x3a;
  buffer[n++] = ZERO + ((s / 10) | 0);
  buffer[n++] = ZERO + (s % 10);
  buffer[n++] = 0x2e;
  buffer[n++] = ZERO + ((f / 100) | 0);
  buffer[n++] = ZERO + (((f / 10) | 0) % 10);
  buffer[n++] = ZERO + (f % 10);
  buffer[n++] = QUOTE;
  out.length = n;
}

/**
 * A decimal token as String() prints its value, written without computing that text: with at most 15 digits and no
 * exponent, the token is the shortest decimal of its double (distinct 15-digit decimals are distinct doubles), so
 * String() gives the token less its fraction's trailing zeros — unless the value is below 1e-6, which it prints with
 * an exponent, or is zero. False (nothing written) for those and longer tokens.
 */
function plainDecimal(b: Uint8Array, from: number, to: number, value: number, out: CsvOut): boolean {
  if (value === 0 || Math.abs(value) < 1e-6 || to - from > 16) return false;
  let digits = 0;
  let point = -1;
  for (let i = from; i < to; i++) {
    const x = b[i] as number;
    if (x === 0x2e) point = i;
    else if (x === 0x65 || x === 0x45) return false;
    else if (x !== MINUS) digits++;
  }
  if (digits > 15) return false;
  let end = to;
  if (point >= 0) {
    while (end > point + 1 && b[end - 1] === ZERO) end--;
    if (end === point + 1) end = point;
  }
  copyBytes(b, from, end, out);
  return true;
}

const pow10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A JSON number token's value, exactly as Number() reads it: with at most 15 digits and no exponent, the digits as
 * an integer N (exact, below 2^53) divided by 10^k (exact up to 10^22) is one correctly rounded division, which is
 * what Number() returns; anything else goes to Number().
 */
function decimalValue(b: Uint8Array, from: number, to: number): number {
  const negative = b[from] === MINUS;
  let v = 0;
  let digits = 0;
  let scale = -1;
  for (let i = negative ? from + 1 : from; i < to; i++) {
    const x = b[i] as number;
    if (x === 0x2e) {
      scale = 0;
      continue;
    }
    if (x < ZERO || x > NINE || ++digits > 15) return Number(latin1Text(b, from, to));
    v = v * 10 + (x - ZERO);
    if (scale >= 0) scale++;
  }
  const value = scale > 0 ? v / (pow10[scale] as number) : v;
  return negative ? -value : value;
}

function latin1Text(b: Uint8Array, from: number, to: number): string {
  return Buffer.isBuffer(b) ? b.toString('latin1', from, to) : latin1.decode(b.subarray(from, to));
}

/** Up to 15 digits, with an optional minus: their value; NaN for anything else. */
function digitsValue(b: Uint8Array, from: number, to: number): number {
  const negative = b[from] === MINUS;
  const first = negative ? from + 1 : from;
  if (first >= to || to - first > 15) return Number.NaN;
  let v = 0;
  for (let i = first; i < to; i++) {
    const x = b[i] as number;
    if (x < ZERO || x > NINE) return Number.NaN;
    v = v * 10 + (x - ZERO);
  }
  return negative ? -v : v;
}

const isDigit = (x: number | undefined) => x !== undefined && x >= ZERO && x <= NINE;

function skipSpaces(b: Uint8Array, i: number, to: number): number {
  while (i < to && b[i] === SPACE) i++;
  return i;
}

/** After the closing brace only blanks (space, tab, carriage return) may follow on the line. */
function trailingSpace(b: Uint8Array, i: number, to: number): boolean {
  for (; i < to; i++) {
    const x = b[i];
    if (x !== SPACE && x !== 0x09 && x !== 0x0d) return false;
  }
  return true;
}

function copyBytes(b: Uint8Array, from: number, to: number, out: CsvOut): void {
  const buffer = out.buffer;
  let n = out.length;
  if (to - from > 32) {
    buffer.set(b.subarray(from, to), n);
    out.length = n + to - from;
    return;
  }
  for (let i = from; i < to; i++) buffer[n++] = b[i] as number;
  out.length = n;
}

/**
 * A JSON string with escapes, as its quoted CSV cell (quotes doubled, code points as UTF-8). Declines NUL (copyCell
 * rejects it) and unpaired surrogates.
 */
function unescape(b: Uint8Array, from: number, to: number, out: CsvOut): boolean {
  const mark = out.length;
  const buffer = out.buffer;
  let n = out.length;
  buffer[n++] = QUOTE;
  for (let i = from; i < to; i++) {
    const x = b[i] as number;
    if (x !== BACKSLASH) {
      buffer[n++] = x;
      continue;
    }
    const e = b[++i];
    let code: number;
    switch (e) {
      case QUOTE: code = QUOTE; break;
      case BACKSLASH: code = BACKSLASH; break;
      case 0x2f: code = 0x2f; break;
      case 0x62: code = 0x08; break;
      case 0x66: code = 0x0c; break;
      case 0x6e: code = 0x0a; break;
      case 0x72: code = 0x0d; break;
      case 0x74: code = 0x09; break;
      case 0x75: {
        code = hex4(b, i + 1, to);
        if (code < 0) return fail(out, mark);
        i += 4;
        if (code >= 0xd800 && code <= 0xdbff) {
          const low = b[i + 1] === BACKSLASH && b[i + 2] === 0x75 ? hex4(b, i + 3, to) : -1;
          if (low < 0xdc00 || low > 0xdfff) return fail(out, mark);
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          i += 6;
        } else if (code >= 0xdc00 && code <= 0xdfff) {
          return fail(out, mark);
        }
        break;
      }
      default:
        return fail(out, mark);
    }
    if (code === 0) return fail(out, mark);
    if (code === QUOTE) {
      buffer[n++] = QUOTE;
      buffer[n++] = QUOTE;
    } else {
      n = putCodePoint(buffer, n, code);
    }
  }
  buffer[n++] = QUOTE;
  out.length = n;
  return true;
}

function fail(out: CsvOut, mark: number): boolean {
  out.length = mark;
  return false;
}

function hex4(b: Uint8Array, from: number, to: number): number {
  if (from + 4 > to) return -1;
  let v = 0;
  for (let i = from; i < from + 4; i++) {
    const x = b[i] as number;
    const d = x >= ZERO && x <= NINE ? x - ZERO : x >= 0x61 && x <= 0x66 ? x - 0x57 : x >= 0x41 && x <= 0x46 ? x - 0x37 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}
