/**
 * The event_data CSVs went through Excel before they were published: 13-digit epoch numbers were saved in
 * the "General" format (six significant digits, `1.54092E+12`), and fields were quoted only when needed.
 */

const NEEDS_QUOTES = /[",\r\n]/;

/** A CSV field quoted like Python's csv.QUOTE_MINIMAL, which is what the course files show. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Excel's General rendering of a large positive integer: six significant digits, trailing zeros dropped,
 * `E+` exponent with at least two digits. Only numbers too wide for the column (over 11 digits) are mangled,
 * which in these files means `registration` and `ts`.
 */
export function excelGeneral(value: number): string {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`excelGeneral expects a non-negative integer, got ${value}`);
  const digits = String(value);
  if (digits.length <= 11) return digits;
  let exponent = digits.length - 1;
  // Integer rounding keeps half-up exact; toPrecision would round through binary floating point.
  let mantissa = Math.round(value / 10 ** (exponent - 5));
  if (mantissa >= 1_000_000) {
    mantissa = Math.round(mantissa / 10);
    exponent += 1;
  }
  const m = String(mantissa).replace(/0+$/, '');
  const shown = m.length > 1 ? `${m[0]}.${m.slice(1)}` : m;
  return `${shown}E+${String(exponent).padStart(2, '0')}`;
}
