import type { StagingColumn } from '../staging-tables.ts';

/**
 * DuckDB SQL that applies COPY's conversion rules (copy-cell.ts) to records read by DuckDB's own JSON reader, for the
 * records where DuckDB and JSON.parse are sure to agree, and flags every other record as not fitting. A file with a
 * record that does not fit is converted by the JavaScript path instead, which gives the exact reject with its line:
 * so this SQL only has to be conservative (never call a record fitting that copyCell would treat differently), never
 * to explain a reject. What it leaves to JavaScript:
 * - JSON that DuckDB's reader takes but JSON.parse refuses (NaN and Infinity in any case, trailing commas; the raw
 *   text is searched for them where a value could start, strings included, which only sends a few more files to
 *   JavaScript: a title like "Live: Infinity"), and top-level values that are not
 *   objects, or objects with a key twice (JSON.parse keeps the last, DuckDB's extraction the first);
 * - records over 4 MiB (Redshift's limit, and the JavaScript splitter's);
 * - any value whose conversion takes more than a type check: numbers into text columns, numeric text other than plain
 *   digits into number columns, fractions written as 1.0 into integer columns, text with NUL or over 65,535 bytes.
 * Malformed JSON (including invalid UTF-8 and raw control characters) makes DuckDB's reader fail, and the caller then
 * hands the file to JavaScript as well.
 */
export interface NativeColumn extends StagingColumn {
  /** The top-level JSON key the column is read from. */
  readonly key: string;
}

/** Redshift's VARCHAR(MAX), as in copy-cell.ts. */
const maxVarcharBytes = 65_535;
const maxRecordBytes = 4 * 1024 * 1024;
const msRange = { min: new Date('0001-01-01T00:00:00.000Z').getTime(), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) };
const intRange = { integer: { min: -0x80000000, max: 0x7fffffff }, bigint: { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER } };

/** Keys that need no quoting in a JSON path; other keys keep a table on the JavaScript path. */
export const plainKey = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `SELECT filename, fits, <columns…>` over `files` (paths on disk). Values of a row that does not fit are
 * meaningless; the caller keeps only rows of files whose every row fits.
 */
export function nativeSelect(columns: readonly NativeColumn[], files: readonly string[]): string {
  const checks = [
    "json_type(json) = 'OBJECT'",
    `strlen(json) <= ${maxRecordBytes}`,
    // After a colon, comma or bracket, and in any case: DuckDB's reader also takes nan, inf, -Infinity, …
    "NOT regexp_matches(json, '[:,\\[]\\s*[-+]?(?i:nan|inf)|,\\s*[\\]}]')",
    'len(json_keys(json)) = len(list_distinct(json_keys(json)))',
  ];
  const values: string[] = [];
  for (const [i, column] of columns.entries()) {
    const { fit, value } = convert(column);
    checks.push(fit.replaceAll('$t', `t${i}`).replaceAll('$s', `s${i}`));
    values.push(`${value.replaceAll('$t', `t${i}`).replaceAll('$s', `s${i}`)} AS c${i}`);
  }
  const extracted = columns.flatMap((c, i) => [`json_type(json, '$.${c.key}') AS t${i}`, `json_extract_string(json, '$.${c.key}') AS s${i}`]);
  const list = files.map(sqlString).join(', ');
  return `SELECT filename, ${checks.map((c) => `(${c})`).join(' AND ')} AS fits, ${values.join(', ')}\n` +
    `FROM (SELECT filename, json, ${extracted.join(', ')}\n` +
    `      FROM read_json_objects([${list}], format = 'unstructured', filename = true, maximum_object_size = ${4 * maxRecordBytes}))`;
}

/** The fit condition and the value, with $t the value's JSON type (NULL when the key is missing) and $s its text. */
function convert(column: StagingColumn): { fit: string; value: string } {
  const absent = "$t IS NULL OR $t = 'NULL'";
  switch (column.type) {
    case 'varchar':
      return { fit: `${absent} OR ($t = 'VARCHAR' AND strpos($s, chr(0)) = 0 AND strlen($s) <= ${maxVarcharBytes})`, value: "CASE WHEN $t = 'VARCHAR' THEN $s END" };
    case 'integer':
    case 'bigint': {
      const { min, max } = intRange[column.type];
      const n = 'TRY_CAST($s AS BIGINT)';
      // Plain digits in a string are what copyCell reads as a number; "" is NULL.
      const numeric = `($t IN ('BIGINT', 'UBIGINT') OR ($t = 'VARCHAR' AND regexp_full_match($s, '-?[0-9]{1,15}')))`;
      return {
        fit: `${absent} OR ($t = 'VARCHAR' AND $s = '') OR (${numeric} AND ${n} BETWEEN ${min} AND ${max})`,
        value: `CASE WHEN ${numeric} THEN ${n} END`,
      };
    }
    case 'double': {
      const n = 'TRY_CAST($s AS DOUBLE)';
      return {
        fit: `${absent} OR ($t = 'VARCHAR' AND $s = '') OR ($t IN ('DOUBLE', 'BIGINT', 'UBIGINT') AND isfinite(${n}))`,
        value: `CASE WHEN $t IN ('DOUBLE', 'BIGINT', 'UBIGINT') THEN ${n} END`,
      };
    }
    case 'timestamp': {
      const n = 'TRY_CAST($s AS BIGINT)';
      return {
        fit: `${absent} OR ($t = 'VARCHAR' AND $s = '') OR ($t IN ('BIGINT', 'UBIGINT') AND ${n} BETWEEN ${msRange.min} AND ${msRange.max})`,
        value: `CASE WHEN $t IN ('BIGINT', 'UBIGINT') THEN epoch_ms(${n}) END`,
      };
    }
  }
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
