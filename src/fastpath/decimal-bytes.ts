const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const DOT = 0x2e;
const latin1 = new TextDecoder('latin1');
// Parsed from text (correctly rounded, so exact: every power of ten up to 10^22 is a double).
const powersOfTen = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Bytes as Latin-1 text: for printable ASCII, the same as their UTF-8 decoding. */
export function latin1Text(b: Uint8Array, from: number, to: number): string {
  return Buffer.isBuffer(b) ? b.toString('latin1', from, to) : latin1.decode(b.subarray(from, to));
}

/**
 * A JSON number token b[from, to) (its grammar checked by the caller) as Number() and JSON.parse read it. With up to
 * 15 significant digits and 22 after the point, the digits as an integer divided by 10^fraction is exact: both are
 * exact doubles and one division rounds correctly. Longer tokens and exponents are read from text.
 */
export function decimalValue(b: Uint8Array, from: number, to: number): number {
  const negative = b[from] === MINUS;
  let digits = 0;
  let mantissa = 0;
  let fraction = -1;
  for (let i = negative ? from + 1 : from; i < to; i++) {
    const x = b[i] as number;
    if (x === DOT) {
      fraction = 0;
      continue;
    }
    if (x < ZERO || x > NINE) return Number(latin1Text(b, from, to));
    if (fraction !== -1) fraction++;
    if (mantissa !== 0 || x !== ZERO) digits++;
    mantissa = mantissa * 10 + (x - ZERO);
  }
  if (digits > 15 || fraction > 22) return Number(latin1Text(b, from, to));
  const value = fraction <= 0 ? mantissa : mantissa / (powersOfTen[fraction] as number);
  return negative ? -value : value;
}
