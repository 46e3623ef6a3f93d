/**
 * JSON integer tokens read from their bytes as Number() reads them (decimals: fastpath/decimal-bytes.ts), and decimals
 * printed as String() prints them.
 */
import { copyBytes, type CsvOut } from '../../pipelines/warehouse/copy/csv-out.ts';

const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;

/** A JSON integer token of at most 15 characters (so exact): its value, -0 included. */
export function integerValue(b: Uint8Array, from: number, to: number): number {
  const negative = b[from] === MINUS;
  let v = 0;
  for (let i = negative ? from + 1 : from; i < to; i++) v = v * 10 + ((b[i] as number) - ZERO);
  return negative ? -v : v;
}

/**
 * A decimal token as String() prints its value, written without computing that text: with at most 15 digits and no
 * exponent, the token is the shortest decimal of its double (distinct 15-digit decimals are distinct doubles), so
 * String() gives the token less its fraction's trailing zeros — unless the value is below 1e-6, which it prints with
 * an exponent, or is zero. False (nothing written) for those and longer tokens.
 */
export function plainDecimal(b: Uint8Array, from: number, to: number, value: number, out: CsvOut): boolean {
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


/** Up to 15 digits, with an optional minus: their value; NaN for anything else. */
export function digitsValue(b: Uint8Array, from: number, to: number): number {
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
