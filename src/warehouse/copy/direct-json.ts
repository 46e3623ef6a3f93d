import { columnList, ident } from '../../engines/identifiers.ts';
import type { CopyType, StagingColumn, StagingTable } from '../staging-tables.ts';
import { parseJsonPath, type JsonFormat } from './json-format.ts';

/**
 * The statement by which DuckDB reads a COPY's objects itself (read_json with typed columns, on all its threads)
 * instead of taking rows this process converted. It is right only for plain records, which PlainJsonCheck vouches for
 * on the same bytes (DuckDB's casts are looser than COPY's); for those, DuckDB's values are exactly copyCell's: a
 * string as JSON.parse decodes it, a number parsed to the nearest double, integers (read as text: a number or a string
 * of digits, "" for NULL) exact, and epoch milliseconds as a timestamp.
 *
 * Returns undefined where the format is not one this can express: 'auto ignorecase', or a jsonpaths file with a path
 * that is not a single top-level key, or two paths to the same key.
 */
export function directJsonInsert(table: StagingTable, into: string, format: JsonFormat, jsonPaths: string | undefined, files: readonly string[]): string | undefined {
  const keys = directJsonKeys(table.columns, format, jsonPaths);
  if (keys === undefined || files.length === 0) return undefined;
  const list = files.map(literal).join(', ');
  // Each key read under a name of its own (c0, c1…): DuckDB matches the struct's keys to the JSON's case for case,
  // but its column names ignore case.
  const struct = keys.map((k, i) => `"${k}": '${readType[(table.columns[i] as StagingColumn).type]}'`).join(', ');
  const renamed = keys.map((k, i) => `"${k}" AS c${i}`).join(', ');
  const cells = table.columns.map((c, i) => `${cell(`c${i}`, c.type)} AS ${ident(c.name)}`).join(', ');
  return `INSERT INTO ${ident(into)} (${columnList(table.columns.map((c) => c.name))})
SELECT ${cells}
FROM (SELECT ${renamed}
      FROM read_json([${list}], format = 'newline_delimited', compression = 'uncompressed', columns = {${struct}}))`;
}

/** How DuckDB reads each type's JSON: integers as text, so that a string of digits and "" are read as COPY reads them. */
const readType: Record<CopyType, string> = { varchar: 'VARCHAR', integer: 'VARCHAR', bigint: 'BIGINT', double: 'DOUBLE', timestamp: 'BIGINT' };

function cell(x: string, type: CopyType): string {
  if (type === 'integer') return `CAST(NULLIF(${x}, '') AS INTEGER)`;
  if (type === 'timestamp') return `epoch_ms(${x})`;
  return x;
}

/** The JSON key each column's value comes from, in column order; undefined where the statement cannot express the format. */
export function directJsonKeys(columns: readonly StagingColumn[], format: JsonFormat, jsonPaths: string | undefined): string[] | undefined {
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
  // Keys are quoted into the statement: only plain names (and at most 30, which PlainJsonCheck tracks as bits). DuckDB's column names ignore case: two keys that differ only
  // in case cannot both be read.
  if (!keys.every((k) => /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(k)) || keys.length > 30) return undefined;
  return new Set(keys.map((k) => k.toLowerCase())).size === keys.length ? keys : undefined;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** An object URL (s3://… or a path) DuckDB would read as written: no glob characters, nothing a URL would escape, and
 * not named as compressed (DuckDB would decompress by the name, this COPY by the bytes). */
export function directlyReadable(url: string): boolean {
  return /^[A-Za-z0-9._\-/=]+$/.test(url.replace(/^s3:\/\//, '')) && !/\.(gz|gzip|zst|zstd|bz2|xz|lz4)$/i.test(url);
}
