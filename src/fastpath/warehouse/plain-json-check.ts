import type { CopyType } from '../../pipelines/warehouse/staging-tables.ts';

/**
 * Whether DuckDB, reading an object's lines with typed columns (directJsonInsert), gives exactly what COPY's own
 * conversion (copyCell) gives: true when every line is a plain record. DuckDB's casts are looser than COPY's (1.5 into
 * an integer becomes 2, true becomes 1, a number into text its own spelling of it, 1e400 a NULL), and its parser
 * accepts trailing commas and NaN; so each line is read here, over a stream of chunks, and the first that is not plain
 * is named. A plain line: blank, or one JSON object, alone on its line, whose keys carry no escapes and appear in it
 * once at most (DuckDB refuses repeats), and whose values are, by the column they go to:
 * - varchar: a string or null, with no \u0000 and at most 65,535 bytes of JSON text;
 * - integer: digits (no sign, at most 9, no leading zero), a string of such digits, "" or null;
 * - bigint, timestamp: an optional minus and at most 15 digits (a timestamp from the year 1 to 9999), or null;
 * - double: a number at most 200 digits long before the point, with an exponent under 100 (or negative), or null;
 * - a key no column reads: any JSON value.
 * What DuckDB refuses (bad UTF-8, broken JSON, several objects on a line, a string with a control character…) need not
 * be caught here: the statement fails, and the load converts the records instead.
 */
/** The keys a line has had are bits of a number: at most this many. */
export const maxPlainKeys = 30;

export class PlainJsonCheck {
  private readonly keys: Uint8Array[];
  private readonly types: readonly CopyType[];
  /** Bytes of a line carried over from the previous chunk. */
  private carry: Uint8Array = Buffer.alloc(0);
  private line = 0;
  private started = false;
  problem: string | undefined;

  /** `keys[i]` is the JSON key of a column of type `types[i]`. */
  constructor(keys: readonly string[], types: readonly CopyType[]) {
    this.keys = keys.map((k) => new TextEncoder().encode(k));
    this.types = types;
    if (keys.length > maxPlainKeys) throw new Error(`PlainJsonCheck reads at most ${maxPlainKeys} keys`);
  }

  /** Feeds the next bytes; false once a line is known not to be plain (the rest need not be fed). */
  feed(b: Uint8Array): boolean {
    if (this.problem !== undefined) return false;
    if (!this.started && b.length > 0) {
      this.started = true;
      if (b[0] === 0x1f && b[1] === 0x8b) return this.fail(1, 'gzip-compressed');
    }
    let s = 0;
    if (this.carry.length > 0) {
      const nl = b.indexOf(NEWLINE);
      if (nl === -1) {
        this.carry = concat(this.carry, b);
        return this.carry.length <= maxLineBytes || this.fail(this.line + 1, 'a line longer than 16 MB');
      }
      const joined = concat(this.carry, b.subarray(0, nl));
      this.carry = Buffer.alloc(0);
      if (!this.checkLine(joined, 0, joined.length)) return false;
      s = nl + 1;
    }
    for (;;) {
      const nl = b.indexOf(NEWLINE, s);
      if (nl === -1) break;
      if (!this.checkLine(b, s, nl)) return false;
      s = nl + 1;
    }
    if (s < b.length) this.carry = Buffer.from(b.subarray(s));
    // DuckDB refuses a record over 16 MB (maximum_object_size) anyway.
    if (this.carry.length > maxLineBytes) return this.fail(this.line + 1, 'a line longer than 16 MB');
    return true;
  }

  /** After the last chunk: the first line that is not plain, as "line N: why", or undefined. */
  end(): string | undefined {
    if (this.problem === undefined && this.carry.length > 0) this.checkLine(this.carry, 0, this.carry.length);
    this.carry = Buffer.alloc(0);
    return this.problem;
  }

  private fail(line: number, why: string): false {
    this.problem = `line ${line}: ${why}`;
    return false;
  }

  /** Line b[s, e) (no newline). */
  private checkLine(b: Uint8Array, s: number, e: number): boolean {
    const line = ++this.line;
    let i = skipSpace(b, s, e);
    if (i === e) return true;
    if (b[i] !== LBRACE) return this.fail(line, 'not an object');
    i = skipSpace(b, i + 1, e);
    let seen = 0;
    let guess = 0;
    if (b[i] === RBRACE) return this.rest(b, i + 1, e, line);
    for (;;) {
      if (b[i] !== QUOTE) return this.fail(line, 'a key is not a string');
      const from = i + 1;
      let to: number;
      // Keys usually come in the columns' order: the next one is tried first, in place.
      let k = guess < this.keys.length ? guess : -1;
      if (k !== -1 && startsAt(b, from, e, this.keys[k] as Uint8Array)) {
        to = from + (this.keys[k] as Uint8Array).length;
      } else {
        to = from;
        while (to < e && b[to] !== QUOTE) {
          if (b[to] === BACKSLASH) return this.fail(line, 'a key with an escape');
          to++;
        }
        if (to >= e) return this.fail(line, 'an unterminated key');
        k = this.keyAt(b, from, e);
      }
      if (k !== -1) {
        if ((seen & (1 << k)) !== 0) return this.fail(line, 'a repeated key');
        seen |= 1 << k;
        guess = k + 1;
      }
      i = skipSpace(b, to + 1, e);
      if (b[i] !== COLON) return this.fail(line, 'no colon after a key');
      i = skipSpace(b, i + 1, e);
      const end = k === -1 ? skipValue(b, i, e) : this.columnValue(b, i, e, this.types[k] as CopyType);
      if (end < 0) return this.fail(line, k === -1 ? 'a value that is not plain JSON' : `a value that is not a plain ${this.types[k]} for ${JSON.stringify(new TextDecoder().decode(this.keys[k]))}`);
      i = skipSpace(b, end, e);
      if (b[i] === COMMA) {
        i = skipSpace(b, i + 1, e);
        continue;
      }
      if (b[i] === RBRACE) return this.rest(b, i + 1, e, line);
      return this.fail(line, 'no comma or closing brace after a value');
    }
  }

  /** After the record's closing brace: only spaces to the end of the line. */
  private rest(b: Uint8Array, i: number, e: number, line: number): boolean {
    return skipSpace(b, i, e) === e || this.fail(line, 'more than one value on the line');
  }

  /** The column whose key, and then its closing quote, stands at b[from], or -1. */
  private keyAt(b: Uint8Array, from: number, e: number): number {
    const keys = this.keys;
    for (let k = 0; k < keys.length; k++) if (startsAt(b, from, e, keys[k] as Uint8Array)) return k;
    return -1;
  }

  /** The end of a column's value at b[i], or -1 when it is not plain for `type`. */
  private columnValue(b: Uint8Array, i: number, e: number, type: CopyType): number {
    const c = b[i];
    if (c === LOWER_N) return isNull(b, i, e) ? i + 4 : -1;
    if (c === QUOTE) {
      const end = stringEnd(b, i, e, type === 'varchar');
      if (end < 0) return -1;
      if (type === 'varchar') return end - i <= maxJsonText ? end : -1;
      if (type !== 'integer') return -1;
      // "" (NULL) or a string of digits, as userId is written.
      return end - i === 2 || digitsOnly(b, i + 1, end - 1, 9) ? end : -1;
    }
    if (type === 'varchar') return -1;
    if (c !== MINUS && !isDigit(c)) return -1;
    if (type === 'double') return numberEnd(b, i, e);
    let j = c === MINUS ? i + 1 : i;
    if (type === 'integer' && j !== i) return -1;
    const from = j;
    while (j < e && isDigit(b[j])) j++;
    const digits = j - from;
    if (digits === 0 || (digits > 1 && b[from] === ZERO) || digits > (type === 'integer' ? 9 : 15)) return -1;
    if (j < e && (b[j] === DOT || b[j] === LOWER_E || b[j] === UPPER_E)) return -1;
    if (type === 'timestamp' && digits === 15) {
      let v = 0;
      for (let k = from; k < j; k++) v = v * 10 + ((b[k] as number) - ZERO);
      if (v > (c === MINUS ? -minMs : maxMs)) return -1;
    }
    return j;
  }
}

/** Redshift's VARCHAR(MAX) in bytes, plus the two quotes of its JSON text (which is never shorter than its UTF-8). */
const maxJsonText = 65_535 + 2;
/** DuckDB refuses a record over 16 MB (maximum_object_size). */
export const maxLineBytes = 16 * 1024 * 1024;
const minMs = -62_135_596_800_000; // 0001-01-01T00:00:00.000Z
const maxMs = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

function skipSpace(b: Uint8Array, i: number, e: number): number {
  while (i < e) {
    const x = b[i];
    if (x !== SPACE && x !== TAB && x !== CR) break;
    i++;
  }
  return i;
}

/** The end (after the closing quote) of the string at b[i], or -1; -1 too, with `noNul`, for one holding \u0000. */
function stringEnd(b: Uint8Array, i: number, e: number, noNul = false): number {
  i++;
  while (i < e) {
    const x = b[i];
    if (x === QUOTE) return i + 1;
    if (x !== BACKSLASH) {
      i++;
      continue;
    }
    if (noNul && b[i + 1] === LOWER_U && b[i + 2] === ZERO && b[i + 3] === ZERO && b[i + 4] === ZERO && b[i + 5] === ZERO) return -1;
    i += 2;
  }
  return -1;
}

/** A JSON number's end, with at most 200 digits before the point and a positive exponent of two digits (so finite), or -1. */
function numberEnd(b: Uint8Array, i: number, e: number): number {
  if (b[i] === MINUS) i++;
  const from = i;
  while (i < e && isDigit(b[i])) i++;
  if (i === from || i - from > 200) return -1;
  if (b[i] === DOT) {
    i++;
    const f = i;
    while (i < e && isDigit(b[i])) i++;
    if (i === f) return -1;
  }
  if (b[i] === LOWER_E || b[i] === UPPER_E) {
    i++;
    // Up to 10^99 times the digits before the point: finite. Any negative exponent is (it may round to 0, alike).
    const negative = b[i] === MINUS;
    if (b[i] === PLUS || b[i] === MINUS) i++;
    const x = i;
    while (i < e && isDigit(b[i])) i++;
    if (i === x || i - x > (negative ? 3 : 2)) return -1;
  }
  return i;
}

/**
 * The end of any JSON value at b[i] (a key no column reads), or -1 for what JSON does not allow and DuckDB might:
 * NaN and Infinity, a comma before a closing bracket. (Anything else wrong, DuckDB refuses.)
 */
function skipValue(b: Uint8Array, i: number, e: number): number {
  const c = b[i];
  if (c === QUOTE) return stringEnd(b, i, e);
  if (c === LOWER_N) return isNull(b, i, e) ? i + 4 : -1;
  if (c === LOWER_T) return i + 4 <= e && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65 ? i + 4 : -1;
  if (c === LOWER_F) return i + 5 <= e && b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65 ? i + 5 : -1;
  if (c === MINUS || isDigit(c)) {
    // Any exponent: a key no column reads may hold 1e999 (Infinity to both, and loaded by neither).
    let j = c === MINUS ? i + 1 : i;
    if (!isDigit(b[j])) return -1;
    while (j < e && (isDigit(b[j]) || b[j] === DOT || b[j] === LOWER_E || b[j] === UPPER_E || b[j] === PLUS || b[j] === MINUS)) j++;
    return j;
  }
  if (c !== LBRACE && c !== LBRACKET) return -1;
  const object = c === LBRACE;
  i = skipSpace(b, i + 1, e);
  if (b[i] === (object ? RBRACE : RBRACKET)) return i + 1;
  for (;;) {
    if (object) {
      if (b[i] !== QUOTE) return -1;
      i = stringEnd(b, i, e);
      if (i < 0) return -1;
      i = skipSpace(b, i, e);
      if (b[i] !== COLON) return -1;
      i = skipSpace(b, i + 1, e);
    }
    i = skipValue(b, i, e);
    if (i < 0) return -1;
    i = skipSpace(b, i, e);
    if (b[i] === COMMA) {
      i = skipSpace(b, i + 1, e);
      continue;
    }
    return b[i] === (object ? RBRACE : RBRACKET) ? i + 1 : -1;
  }
}

function isNull(b: Uint8Array, i: number, e: number): boolean {
  return i + 4 <= e && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c;
}

/** Digits only, 1 to `max` of them, no leading zero. */
function digitsOnly(b: Uint8Array, from: number, to: number, max: number): boolean {
  if (to - from < 1 || to - from > max || (to - from > 1 && b[from] === ZERO)) return false;
  for (let i = from; i < to; i++) if (!isDigit(b[i])) return false;
  return true;
}

/** Whether b[at…] holds `key` and then its closing quote. */
function startsAt(b: Uint8Array, at: number, e: number, key: Uint8Array): boolean {
  if (at + key.length >= e || b[at + key.length] !== QUOTE) return false;
  for (let j = 0; j < key.length; j++) if (b[at + j] !== key[j]) return false;
  return true;
}

/** As a Buffer, like the chunks the stores give: one kind of array in the hot loops keeps their element loads simple. */
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Buffer.concat([a, b]);
}

const isDigit = (x: number | undefined) => x !== undefined && x >= ZERO && x <= NINE;

const TAB = 0x09;
const NEWLINE = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
