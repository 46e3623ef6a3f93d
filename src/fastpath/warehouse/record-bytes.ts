import { decimalValue, latin1Text } from '../decimal-bytes.ts';
import type { CopyType, StagingColumn } from '../../pipelines/warehouse/staging-tables.ts';
import { copyBytes, CsvOut, jsonStringCell, timestampCell } from '../../pipelines/warehouse/copy/csv-out.ts';
import type { JsonFormat } from '../../pipelines/warehouse/copy/json-format.ts';
import { parseJsonPath } from '../../pipelines/warehouse/copy/json-format.ts';
import { digitsValue, integerValue, plainDecimal } from './number-bytes.ts';

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
/** Bytes a string's scan stops at: the quote, the backslash, control characters and non-ASCII. */
const special = new Uint8Array(256).map((_, x) => (x === QUOTE || x === BACKSLASH || x < SPACE || x >= 0x80 ? 1 : 0));

/**
 * The common record, converted straight from its bytes into a COPY CSV row: one flat JSON object on one line, ASCII
 * only, keys without escapes, each key once, values strings, numbers, true, false or null. That is every line the
 * simulator and eventsim write. It checks the JSON grammar and applies copyCell's rules (copy-cell.ts) to the bytes,
 * with no JSON.parse, no value objects and no strings for most fields. Any record it cannot vouch for — a reject, a
 * duplicate key, an escape it does not know, a nested value, non-ASCII bytes — it declines with nothing written,
 * and the caller (csv-records.ts) converts it the reference way (copy-records.ts), so both produce the same bytes
 * (test/warehouse/csv-records.test.ts holds them to it).
 */
export class RecordBytes {
  private readonly keys: Uint8Array[];
  private readonly types: CopyType[];
  private readonly ignoreCase: boolean;
  private readonly kind: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  /** Set by scanNumber: whether the token has a fraction or exponent. */
  private fraction = false;

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
        // An ignored field is still parsed by JSON.parse: its escapes must be valid, which only jsonStringCell() checks.
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

  /** A JSON number's end, or -1; sets `fraction` (a fraction or an exponent). */
  private scanNumber(b: Uint8Array, from: number, to: number): number {
    let i = from;
    if (b[i] === MINUS) i++;
    if (i >= to) return -1;
    if (b[i] === ZERO) i++;
    else if (isDigit(b[i])) while (i < to && isDigit(b[i])) i++;
    else return -1;
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
      if (kind === ESCAPED) return jsonStringCell(b, from, to, out);
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

