// AssemblyScript, compiled to WebAssembly by scripts/build-wasm.ts (npm ci runs it): the line reading of
// src/warehouse/copy/plain-json-check.ts, which stays the reference. The same rules, written for WebAssembly's SIMD,
// so that a chunk's lines are found and read 16 bytes at a time where they hold nothing that matters (string
// content, the run to a newline). test/warehouse/plain-json-check.test.ts holds the two to the same verdicts.
//
// Memory, from base(): the key table (names.ts: each column's JSON key and type), then the input. The caller writes
// the table, then the bytes to read at input() followed by one newline byte (a sentinel: a value read up to the
// input's end then stops there, as the reference's does at its line's newline or the buffer's end).

import { BACKSLASH, COLON, COMMA, CR, DOT, LBRACE, LBRACKET, LOWER_E, LOWER_F, LOWER_N, LOWER_T, LOWER_U, MINUS, NEWLINE, PLUS, QUOTE, RBRACE, RBRACKET, SPACE, TAB, UPPER_E, ZERO, isDigit } from './ascii';
import { base, nameAt, nameCount, nameLength, nameThenQuote, nameType, NAMES_END } from './names';

// Column types, as the caller numbers them.
const VARCHAR: u8 = 0;
const INTEGER: u8 = 1;
const BIGINT: u8 = 2;
const DOUBLE: u8 = 3;
const TIMESTAMP: u8 = 4;

// Why a line is not plain (the caller words them).
const NOT_AN_OBJECT: i32 = 1;
const KEY_NOT_A_STRING: i32 = 2;
const KEY_WITH_ESCAPE: i32 = 3;
const UNTERMINATED_KEY: i32 = 4;
const REPEATED_KEY: i32 = 5;
const NO_COLON: i32 = 6;
const VALUE_NOT_JSON: i32 = 7;
const VALUE_NOT_PLAIN: i32 = 8;
const NO_COMMA_OR_BRACE: i32 = 9;
const MORE_THAN_ONE_VALUE: i32 = 10;

const MAX_JSON_TEXT: usize = 65_535 + 2;
const MIN_MS: i64 = -62_135_596_800_000;
const MAX_MS: i64 = 253_402_300_799_999;

/** After check(): the lines read (whole lines, and the last with `final`); on failure, the failing line is the last. */
let linesRead: i32 = 0;
let reason: i32 = 0;
let failedKey: i32 = -1;

export { base, setNames } from './names';

export function input(): usize {
  return base() + NAMES_END;
}

export function lines(): i32 {
  return linesRead;
}

export function failure(): i32 {
  return reason;
}

export function failureKey(): i32 {
  return failedKey;
}

/**
 * Reads the lines of input()[0, len): each that ends with a newline, and with `final` the rest as the last line. The
 * first `skip` bytes are known to hold no newline. Returns how many bytes it read (through the last newline; all of
 * them with `final`), or -1 at the first line that is not plain (lines() is then its number in this call, failure()
 * and failureKey() why).
 */
export function check(len: i32, final: bool, skip: i32): i32 {
  const start = input();
  const end = start + <usize>len;
  linesRead = 0;
  reason = 0;
  failedKey = -1;
  // The lines are read up to the last newline (with `final`, the sentinel's): each read ends at its own newline,
  // found by the reading rather than searched for first.
  const last = final ? end : lastNewline(start + <usize>skip, end);
  if (last == 0) return 0;
  const limit = last + 1;
  let s = start;
  while (s < limit) {
    linesRead++;
    const nl = checkLine(s, limit);
    if (nl < 0) return -1;
    s = <usize>nl + 1;
  }
  return <i32>((s < end ? s : end) - start);
}

/** The last newline in [from, e), or 0. */
function lastNewline(from: usize, e: usize): usize {
  const newlines = i8x16.splat(<i8>NEWLINE);
  let i = e;
  while (i >= from + 16) {
    const bits = i8x16.bitmask(i8x16.eq(v128.load(i - 16), newlines));
    if (bits != 0) return i - 16 + <usize>(31 - clz(bits));
    i -= 16;
  }
  while (i > from) {
    i--;
    if (byte(i) == NEWLINE) return i;
  }
  return 0;
}

// @ts-ignore: decorator
@inline function byte(i: usize): u8 {
  return load<u8>(i);
}

function fail(why: i32): isize {
  reason = why;
  return -1;
}

/**
 * The line that starts at s: the index of its newline, or -1 when it is not plain. b[e - 1] is a newline, so every
 * line ends before e; a string or key that reaches a newline makes the line not plain, as the reference's does when
 * it reaches its line's end.
 */
function checkLine(s: usize, e: usize): isize {
  let i = skipSpace(s, e);
  if (byte(i) == NEWLINE) return <isize>i;
  if (byte(i) != LBRACE) return fail(NOT_AN_OBJECT);
  i = skipSpace(i + 1, e);
  let seen: u32 = 0;
  let guess: i32 = 0;
  if (byte(i) == RBRACE) return rest(i + 1, e);
  while (true) {
    if (byte(i) != QUOTE) return fail(KEY_NOT_A_STRING);
    const from = i + 1;
    let to: usize;
    // Keys usually come in the columns' order: the next one is tried first, in place.
    let k: i32 = guess < nameCount() ? guess : -1;
    if (k != -1 && nameThenQuote(from, e, k)) {
      to = from + nameLength(k);
    } else {
      to = from;
      while (to < e && byte(to) != QUOTE && byte(to) != NEWLINE) {
        if (byte(to) == BACKSLASH) return fail(KEY_WITH_ESCAPE);
        to++;
      }
      if (to >= e || byte(to) == NEWLINE) return fail(UNTERMINATED_KEY);
      k = nameAt(from, e);
    }
    if (k != -1) {
      if ((seen & (<u32>1 << k)) != 0) return fail(REPEATED_KEY);
      seen |= <u32>1 << k;
      guess = k + 1;
    }
    i = skipSpace(to + 1, e);
    if (byte(i) != COLON) return fail(NO_COLON);
    i = skipSpace(i + 1, e);
    const end: isize = k == -1 ? skipValue(i, e) : columnValue(i, e, nameType(k));
    if (end < 0) {
      failedKey = k;
      return fail(k == -1 ? VALUE_NOT_JSON : VALUE_NOT_PLAIN);
    }
    i = skipSpace(<usize>end, e);
    if (byte(i) == COMMA) {
      i = skipSpace(i + 1, e);
      continue;
    }
    if (byte(i) == RBRACE) return rest(i + 1, e);
    return fail(NO_COMMA_OR_BRACE);
  }
  return -1;
}

/** After the record's closing brace: only spaces to the newline, whose index it is. */
function rest(i: usize, e: usize): isize {
  const nl = skipSpace(i, e);
  return byte(nl) == NEWLINE ? <isize>nl : fail(MORE_THAN_ONE_VALUE);
}

// @ts-ignore: decorator
@inline function skipSpace(i: usize, e: usize): usize {
  while (i < e) {
    const x = byte(i);
    if (x != SPACE && x != TAB && x != CR) break;
    i++;
  }
  return i;
}

/** The end of a column's value at i, or -1 when it is not plain for `type`. */
function columnValue(i: usize, e: usize, type: u8): isize {
  const c = byte(i);
  if (c == LOWER_N) return isNull(i, e) ? <isize>(i + 4) : -1;
  if (c == QUOTE) {
    const end = stringEnd(i, e, type == VARCHAR);
    if (end < 0) return -1;
    if (type == VARCHAR) return <usize>end - i <= MAX_JSON_TEXT ? end : -1;
    if (type != INTEGER) return -1;
    // "" (NULL) or a string of digits, as userId is written.
    return <usize>end - i == 2 || digitsOnly(i + 1, <usize>end - 1, 9) ? end : -1;
  }
  if (type == VARCHAR) return -1;
  if (c != MINUS && !isDigit(c)) return -1;
  if (type == DOUBLE) return numberEnd(i, e);
  let j = c == MINUS ? i + 1 : i;
  if (type == INTEGER && j != i) return -1;
  const from = j;
  while (j < e && isDigit(byte(j))) j++;
  const digits = j - from;
  if (digits == 0 || (digits > 1 && byte(from) == ZERO) || digits > (type == INTEGER ? 9 : 15)) return -1;
  if (j < e && (byte(j) == DOT || byte(j) == LOWER_E || byte(j) == UPPER_E)) return -1;
  if (type == TIMESTAMP && digits == 15) {
    let v: i64 = 0;
    for (let k = from; k < j; k++) v = v * 10 + <i64>(byte(k) - ZERO);
    if (v > (c == MINUS ? -MIN_MS : MAX_MS)) return -1;
  }
  return <isize>j;
}

/**
 * The end (after the closing quote) of the string at i, or -1: for one that reaches a newline (its line's end), and
 * with `noNul` for one holding \u0000.
 */
function stringEnd(i: usize, e: usize, noNul: bool): isize {
  i++;
  const quotes = i8x16.splat(<i8>QUOTE);
  const backslashes = i8x16.splat(<i8>BACKSLASH);
  const newlines = i8x16.splat(<i8>NEWLINE);
  while (i < e) {
    // Sixteen bytes at a time up to the next quote, backslash or newline.
    while (i + 16 <= e) {
      const v = v128.load(i);
      const bits = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quotes), i8x16.eq(v, backslashes)), i8x16.eq(v, newlines)));
      if (bits != 0) {
        i += <usize>ctz(bits);
        break;
      }
      i += 16;
    }
    if (i >= e) break;
    const x = byte(i);
    if (x == QUOTE) return <isize>(i + 1);
    if (x == NEWLINE) return -1;
    if (x != BACKSLASH) {
      i++;
      continue;
    }
    if (noNul && byte(i + 1) == LOWER_U && byte(i + 2) == ZERO && byte(i + 3) == ZERO && byte(i + 4) == ZERO && byte(i + 5) == ZERO) return -1;
    if (byte(i + 1) == NEWLINE) return -1;
    i += 2;
  }
  return -1;
}

/** A JSON number's end, with at most 200 digits before the point and a positive exponent of two digits, or -1. */
function numberEnd(i: usize, e: usize): isize {
  if (byte(i) == MINUS) i++;
  const from = i;
  while (i < e && isDigit(byte(i))) i++;
  if (i == from || i - from > 200) return -1;
  if (byte(i) == DOT) {
    i++;
    const f = i;
    while (i < e && isDigit(byte(i))) i++;
    if (i == f) return -1;
  }
  if (byte(i) == LOWER_E || byte(i) == UPPER_E) {
    i++;
    const negative = byte(i) == MINUS;
    if (byte(i) == PLUS || byte(i) == MINUS) i++;
    const x = i;
    while (i < e && isDigit(byte(i))) i++;
    if (i == x || i - x > (negative ? 3 : 2)) return -1;
  }
  return <isize>i;
}

/** The end of any JSON value at i (a key no column reads), or -1 for NaN, Infinity or a trailing comma. */
function skipValue(i: usize, e: usize): isize {
  const c = byte(i);
  if (c == QUOTE) return stringEnd(i, e, false);
  if (c == LOWER_N) return isNull(i, e) ? <isize>(i + 4) : -1;
  if (c == LOWER_T) return i + 4 <= e && byte(i + 1) == 0x72 && byte(i + 2) == 0x75 && byte(i + 3) == 0x65 ? <isize>(i + 4) : -1;
  if (c == LOWER_F) return i + 5 <= e && byte(i + 1) == 0x61 && byte(i + 2) == 0x6c && byte(i + 3) == 0x73 && byte(i + 4) == 0x65 ? <isize>(i + 5) : -1;
  if (c == MINUS || isDigit(c)) {
    let j = c == MINUS ? i + 1 : i;
    if (!isDigit(byte(j))) return -1;
    while (j < e) {
      const x = byte(j);
      if (!(isDigit(x) || x == DOT || x == LOWER_E || x == UPPER_E || x == PLUS || x == MINUS)) break;
      j++;
    }
    return <isize>j;
  }
  if (c != LBRACE && c != LBRACKET) return -1;
  const object = c == LBRACE;
  const close = object ? RBRACE : RBRACKET;
  i = skipSpace(i + 1, e);
  if (byte(i) == close) return <isize>(i + 1);
  while (true) {
    if (object) {
      if (byte(i) != QUOTE) return -1;
      const k = stringEnd(i, e, false);
      if (k < 0) return -1;
      i = skipSpace(<usize>k, e);
      if (byte(i) != COLON) return -1;
      i = skipSpace(i + 1, e);
    }
    const v = skipValue(i, e);
    if (v < 0) return -1;
    i = skipSpace(<usize>v, e);
    if (byte(i) == COMMA) {
      i = skipSpace(i + 1, e);
      continue;
    }
    return byte(i) == close ? <isize>(i + 1) : -1;
  }
  return -1;
}

function isNull(i: usize, e: usize): bool {
  return i + 4 <= e && byte(i + 1) == 0x75 && byte(i + 2) == 0x6c && byte(i + 3) == 0x6c;
}

/** Digits only, 1 to `max` of them, no leading zero. */
function digitsOnly(from: usize, to: usize, max: usize): bool {
  if (to - from < 1 || to - from > max || (to - from > 1 && byte(from) == ZERO)) return false;
  for (let i = from; i < to; i++) if (!isDigit(byte(i))) return false;
  return true;
}
