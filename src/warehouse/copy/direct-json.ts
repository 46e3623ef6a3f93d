import { columnList, ident } from '../../engines/identifiers.ts';
import type { CopyType, StagingColumn, StagingTable } from '../staging-tables.ts';
import { parseJsonPath, type JsonFormat } from './json-format.ts';

/**
 * The statement by which DuckDB reads a COPY's objects itself (read_json, on all its threads) instead of taking the
 * rows this process converted, for the records whose outcome it can tell for certain. Each field is read as raw JSON
 * and kept only in the plain case, where DuckDB's value is exactly the one copyCell gives:
 * - varchar: a JSON string (unescaped by DuckDB as by JSON.parse) or null; none holding U+0000, none longer than the
 *   limit (its JSON text can only be longer than its UTF-8, so that is checked);
 * - integer, bigint, timestamp: digits (an optional minus, no leading zero, no fraction or exponent) within range;
 *   timestamp as epoch milliseconds;
 * - double: a JSON number that is finite (DuckDB and JavaScript both round to the nearest double);
 * - an integer column's JSON string of digits ("15", as userId is written), and "" (NULL).
 * Any other value (a number into a text column, text into a number column other than that, true, an object…) makes
 * the statement fail with error(), so that the load is done the other way, which rejects or converts it as COPY does.
 * What DuckDB's parser accepts beyond JSON (trailing commas, NaN) is caught by LenientJsonScan on the same bytes; what
 * it refuses (duplicate keys, bad UTF-8, several objects on a line…) fails the statement.
 *
 * Returns undefined where the format is not one this can express: 'auto ignorecase', or a jsonpaths file with a path
 * that is not a single top-level key, or two paths to the same key.
 */
export function directJsonInsert(table: StagingTable, into: string, format: JsonFormat, jsonPaths: string | undefined, files: readonly string[]): string | undefined {
  const keys = jsonKeys(table.columns, format, jsonPaths);
  if (keys === undefined || files.length === 0) return undefined;
  const list = files.map(literal).join(', ');
  // The raw JSON of each key, under a name of its own (c0, c1…): DuckDB matches the struct's keys to the JSON's case
  // for case, but its column names ignore case.
  const struct = keys.map((k) => `"${k}": 'JSON'`).join(', ');
  const renamed = keys.map((k, i) => `"${k}" AS c${i}`).join(', ');
  const cells = table.columns.map((c, i) => `${plainCell(`c${i}`, c.type)} AS ${ident(c.name)}`).join(',\n       ');
  return `INSERT INTO ${ident(into)} (${columnList(table.columns.map((c) => c.name))})
SELECT ${cells}
FROM (SELECT ${renamed}
      FROM read_json([${list}], format = 'newline_delimited', compression = 'uncompressed', columns = {${struct}}))`;
}

/** The JSON key each column's value comes from, in column order. */
function jsonKeys(columns: readonly StagingColumn[], format: JsonFormat, jsonPaths: string | undefined): string[] | undefined {
  if (format.mode === 'auto') return columns.map((c) => ident(c.name));
  if (format.mode !== 'jsonpaths' || jsonPaths === undefined) return undefined;
  let paths: unknown;
  try {
    paths = (JSON.parse(jsonPaths) as { jsonpaths?: unknown }).jsonpaths;
  } catch {
    return undefined;
  }
  if (!Array.isArray(paths) || paths.length !== columns.length) return undefined;
  const keys: string[] = [];
  for (const path of paths) {
    if (typeof path !== 'string') return undefined;
    let steps;
    try {
      steps = parseJsonPath(path, format.url);
    } catch {
      return undefined;
    }
    const [step] = steps;
    if (steps.length !== 1 || typeof step !== 'string') return undefined;
    keys.push(step);
  }
  // Keys are quoted into the statement: only plain names. DuckDB's column names ignore case: two keys that differ only
  // in case cannot both be read.
  if (!keys.every((k) => /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(k))) return undefined;
  return new Set(keys.map((k) => k.toLowerCase())).size === keys.length ? keys : undefined;
}

/** Redshift's VARCHAR(MAX) in bytes, plus the two quotes of its JSON text. */
const maxJsonText = 65_535 + 2;
const minMs = -62_135_596_800_000; // 0001-01-01T00:00:00.000Z
const maxMs = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

/** A column's value from raw JSON `x` in the plain case, else error(). */
function plainCell(x: string, type: CopyType): string {
  const text = `CAST(${x} AS VARCHAR)`;
  const isNull = `${x} IS NULL OR ${text} = 'null'`;
  const refuse = `error('not a plain ${type} value')`;
  const digits = (max: number) => `regexp_full_match(${text}, '-?(0|[1-9][0-9]{0,${max - 1}})')`;
  switch (type) {
    case 'varchar':
      return `CASE WHEN ${isNull} THEN NULL WHEN starts_with(${text}, '"') AND strlen(${text}) <= ${maxJsonText} AND NOT contains(${text}, '\\u0000') THEN ${x} ->> '$' ELSE ${refuse} END`;
    case 'integer':
      return `CASE WHEN ${isNull} OR ${text} = '""' THEN NULL ` +
        `WHEN ${digits(10)} AND CAST(${text} AS BIGINT) BETWEEN -2147483648 AND 2147483647 THEN CAST(${text} AS INTEGER) ` +
        `WHEN regexp_full_match(${text}, '"(0|[1-9][0-9]{0,8})"') THEN CAST(${x} ->> '$' AS INTEGER) ELSE ${refuse} END`;
    case 'bigint':
      return `CASE WHEN ${isNull} OR ${text} = '""' THEN NULL WHEN ${digits(15)} THEN CAST(${text} AS BIGINT) ELSE ${refuse} END`;
    case 'double':
      return `CASE WHEN ${isNull} THEN NULL WHEN NOT starts_with(${text}, '"') AND isfinite(TRY_CAST(${text} AS DOUBLE)) THEN CAST(${text} AS DOUBLE) ELSE ${refuse} END`;
    case 'timestamp':
      return `CASE WHEN ${isNull} THEN NULL WHEN ${digits(15)} AND CAST(${text} AS BIGINT) BETWEEN ${minMs} AND ${maxMs} THEN epoch_ms(CAST(${text} AS BIGINT)) ELSE ${refuse} END`;
  }
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** An object URL (s3://… or a path) DuckDB would read as written: no glob characters, nothing a URL would escape, and
 * not named as compressed (DuckDB would decompress by the name, this COPY by the bytes). */
export function directlyReadable(url: string): boolean {
  return /^[A-Za-z0-9._\-/=]+$/.test(url.replace(/^s3:\/\//, '')) && !/\.(gz|gzip|zst|zstd|bz2|xz|lz4)$/i.test(url);
}
