/**
 * The two JSON dialects of the course files. The logs were written by eventsim (Jackson configured to
 * escape '/' and every non-ASCII character); the song files by Python's json.dumps (ensure_ascii, ", " and
 * ": " separators, floats via repr). Byte compatibility means reproducing both, not just valid JSON.
 */

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// Anything outside printable ASCII, plus the characters both dialects escape. '/' is added for the logs only.
const LOG_SPECIAL = /["\\/\u0000-\u001f\u007f-\uffff]/g;
const PYTHON_SPECIAL = /["\\\u0000-\u001f\u007f-\uffff]/g;

function escapeChar(ch: string): string {
  const short = SHORT_ESCAPES[ch];
  if (short !== undefined) return short;
  if (ch === '/') return '\\/';
  // Both writers use lower-case hex, and astral characters arrive here as two UTF-16 halves: the same surrogate pair they write.
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A JSON string literal as eventsim wrote it into log_data: `"AC\/DC"`, `"Bj\u00f6rk"`. */
export function logJsonString(value: string): string {
  return `"${value.replace(LOG_SPECIAL, escapeChar)}"`;
}

/** A JSON string literal as Python's json.dumps wrote it into song_data: `"AC/DC"`, `"Bj\u00f6rk"`. */
export function pythonJsonString(value: string): string {
  return `"${value.replace(PYTHON_SPECIAL, escapeChar)}"`;
}

/** Python's float repr for the magnitudes the catalog uses (durations, coordinates): shortest round-trip digits, `.0` on whole numbers. */
export function pythonFloat(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite float: ${value}`);
  const text = String(value);
  return Number.isInteger(value) && !text.includes('e') ? `${text}.0` : text;
}
