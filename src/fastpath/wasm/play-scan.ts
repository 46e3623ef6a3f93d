// AssemblyScript: PlayBytes' scan of a log line (src/star/play-bytes.ts, whose own scan stays the reference), the same
// rules with string content read 16 bytes at a time; play-rows.ts, the module built from it, calls it.
// test/star/play-bytes.test.ts holds the two to the same verdicts and positions.
//
// Memory, from base(): the field table (set once by the caller), then the results of the last scan.

import { BACKSLASH, COLON, COMMA, DOT, LBRACE, LOWER_E, LOWER_L, LOWER_N, LOWER_U, NINE, QUOTE, RBRACE, SLASH, UPPER_E, ZERO, isDigit } from './ascii';
import { base, nameAt, nameCount, nameFlag, nameLength, nameThenQuote, nameType, NAMES_END } from './names';


/** What at() gives past the line's end: no byte matches it. */
const PAST: u32 = 0x100;

// Field types, as the caller numbers them.
const STRING: u8 = 0;
const INT32: u8 = 1;
const INTEGER: u8 = 2;
const NUMBER_TYPE: u8 = 3;

// What the scan notes of a value (PlayBytes' own numbering).
export const PLAIN: u8 = 0;
export const SIMPLE: u8 = 1;
export const UNICODE: u8 = 2;
export const NULL: u8 = 3;
export const NUMBER: u8 = 4;

// After the field table (names.ts: each field's name, type and whether it may be null), the results, from base().
export const STARTS: usize = NAMES_END; // i32 each
export const ENDS: usize = STARTS + 128; // i32 each
export const KINDS: usize = ENDS + 128; // u8 each
/** Where the scan's results end, from base(). */
export const SCAN_END: usize = KINDS + 32;

// @ts-ignore: decorator
@inline function at(i: usize, e: usize): u32 {
  return i < e ? <u32>load<u8>(i) : PAST;
}

// @ts-ignore: decorator
@inline function isHex(x: u32): bool {
  return (x >= ZERO && x <= NINE) || (x >= 0x41 && x <= 0x46) || (x >= 0x61 && x <= 0x66);
}

/** The value of the four hex digits at i (checked by the caller). */
// @ts-ignore: decorator
@inline function hexValue(i: usize, e: usize): u32 {
  let c: u32 = 0;
  for (let j: usize = 0; j < 4; j++) {
    const x = at(i + j, e);
    c = (c << 4) | (x <= NINE ? x - ZERO : (x | 0x20) - 0x57);
  }
  return c;
}

/**
 * Whether origin[s, e) is a line PlayBytes takes (one object, no whitespace, every field once, each value of its
 * field's type), noting where each value lies (its offset from origin, plus `delta`) and what it is, as
 * PlayBytes.scan does. The 16 bytes after e must be readable.
 */
export function scan(origin: usize, s: i32, e32: i32, delta: i32): bool {
  const results = base();
  const e = origin + <usize>e32;
  let i = origin + <usize>s;
  if (e32 - s < 2 || at(i, e) != LBRACE) return false;
  i++;
  let seen: u32 = 0;
  let guess: i32 = 0;
  const printable = i8x16.splat(0x20);
  const quotes = i8x16.splat(<i8>QUOTE);
  const backslashes = i8x16.splat(<i8>BACKSLASH);
  const high = i8x16.splat(0x7f);
  while (true) {
    if (at(i, e) != QUOTE) return false;
    i++;
    // Fields usually come in the schema's order: the next one is tried first.
    let k: i32 = guess < nameCount() && nameThenQuote(i, e, guess) ? guess : -1;
    if (k != -1) {
      i += nameLength(k);
    } else {
      const keyStart = i;
      while (i < e && at(i, e) != QUOTE) {
        if (at(i, e) == BACKSLASH) return false;
        i++;
      }
      k = at(i, e) == QUOTE ? nameAt(keyStart, e) : -1;
      if (k == -1) return false;
    }
    if (at(i, e) != QUOTE || (seen & (<u32>1 << k)) != 0) return false;
    seen |= <u32>1 << k;
    guess = k + 1;
    i++;
    if (at(i, e) != COLON) return false;
    i++;
    const c = at(i, e);
    const type = nameType(k);
    if (c == QUOTE) {
      if (type != STRING) return false;
      i++;
      const from = i;
      let escapes = PLAIN;
      while (true) {
        // Sixteen bytes at a time while they are printable ASCII other than a quote or a backslash.
        while (i + 16 <= e) {
          const v = v128.load(i);
          const odd = v128.or(v128.or(i8x16.lt_u(v, printable), i8x16.ge_u(v, high)), v128.or(i8x16.eq(v, quotes), i8x16.eq(v, backslashes)));
          const bits = i8x16.bitmask(odd);
          if (bits != 0) {
            i += <usize>ctz(bits);
            break;
          }
          i += 16;
        }
        if (i >= e) return false;
        const x = at(i, e);
        if (x == QUOTE) break;
        if (x == BACKSLASH) {
          const y = at(i + 1, e);
          if (y == QUOTE || y == BACKSLASH || y == SLASH) {
            if (escapes == PLAIN) escapes = SIMPLE;
            i += 2;
            continue;
          }
          if (y != LOWER_U || !isHex(at(i + 2, e)) || !isHex(at(i + 3, e)) || !isHex(at(i + 4, e)) || !isHex(at(i + 5, e))) return false;
          // \u0000: the reference path quarantines text holding a NUL.
          if (at(i + 2, e) == ZERO && at(i + 3, e) == ZERO && at(i + 4, e) == ZERO && at(i + 5, e) == ZERO) return false;
          escapes = UNICODE;
          const unit = hexValue(i + 2, e);
          if (unit >= 0xd800 && unit <= 0xdfff) {
            // Only a whole pair: a lone surrogate is a repair (U+FFFD), which the reference path counts.
            if (unit > 0xdbff || at(i + 6, e) != BACKSLASH || at(i + 7, e) != LOWER_U || !isHex(at(i + 8, e)) || !isHex(at(i + 9, e)) || !isHex(at(i + 10, e)) || !isHex(at(i + 11, e))) return false;
            const low = hexValue(i + 8, e);
            if (low < 0xdc00 || low > 0xdfff) return false;
            i += 12;
            continue;
          }
          i += 6;
          continue;
        }
        if (x < 0x20 || x > 0x7e) return false;
        i++;
      }
      store<i32>(results + STARTS + (<usize>k << 2), <i32>(from - origin) + delta);
      store<i32>(results + ENDS + (<usize>k << 2), <i32>(i - origin) + delta);
      store<u8>(results + KINDS + <usize>k, escapes);
      i++;
    } else if (c == LOWER_N) {
      if (nameFlag(k) == 0 || at(i + 1, e) != LOWER_U || at(i + 2, e) != LOWER_L || at(i + 3, e) != LOWER_L) return false;
      store<u8>(results + KINDS + <usize>k, NULL);
      i += 4;
    } else if (isDigit(c)) {
      if (type == STRING) return false;
      const from = i;
      i++;
      // JSON allows no leading zero: 0 is a whole integer part.
      if (c != ZERO) while (i < e && isDigit(at(i, e))) i++;
      const digits = i - from;
      let fraction = false;
      if (at(i, e) == DOT) {
        i++;
        const fractionStart = i;
        while (i < e && isDigit(at(i, e))) i++;
        if (i == fractionStart) return false;
        fraction = true;
      }
      if (at(i, e) == LOWER_E || at(i, e) == UPPER_E) return false;
      // int32: ten digits at most, the value checked by the caller; a safe integer: fifteen; finite: 300 digits.
      if (type == NUMBER_TYPE ? digits > 300 : fraction || digits > (type == INT32 ? 10 : 15)) return false;
      store<i32>(results + STARTS + (<usize>k << 2), <i32>(from - origin) + delta);
      store<i32>(results + ENDS + (<usize>k << 2), <i32>(i - origin) + delta);
      store<u8>(results + KINDS + <usize>k, NUMBER);
    } else {
      return false;
    }
    const d = at(i, e);
    i++;
    if (d == COMMA) continue;
    return d == RBRACE && i == e && seen == (<u32>1 << nameCount()) - 1;
  }
  return false;
}
