import { columnList, ident } from '../../engines/identifiers.ts';
import type { CopyType, StagingColumn, StagingTable } from '../../pipelines/warehouse/staging-tables.ts';
import { jsonPathSteps, type JsonFormat } from '../../pipelines/warehouse/copy/json-format.ts';
import { maxPlainKeys } from './plain-json-check.ts';

/**
 * The statement by which DuckDB reads a COPY's objects itself (read_json with typed columns, on all its threads)
 * instead of taking rows this process converted. It is right only for plain records, which PlainJsonCheck vouches for
 * on the same bytes (DuckDB's casts are looser than COPY's); for those, DuckDB's values are exactly copyCell's: a
 * string as JSON.parse decodes it, a number parsed to the nearest double, integers (read as text: a number or a string
 * of digits, "" for NULL) exact, and epoch milliseconds as a timestamp.
 *
 * `keys` are directJsonKeys' for the table and its format.
 */
export function directJsonInsert(table: StagingTable, into: string, keys: readonly string[], files: readonly string[]): string {
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

/**
 * The JSON key each column's value comes from, in column order; undefined where the statement cannot express the
 * format: 'auto ignorecase', a jsonpaths path that is not a single top-level key, a key that is not a plain name (keys
 * are quoted into the statement), two keys that differ only in case (DuckDB's column names ignore case), or more keys
 * than PlainJsonCheck tracks. A jsonpaths document that is not valid fails as COPY's own reading of it does.
 */
export function directJsonKeys(columns: readonly StagingColumn[], format: JsonFormat, jsonPaths: string | undefined): string[] | undefined {
  if (format.mode === 'auto') return columns.map((c) => ident(c.name));
  if (format.mode !== 'jsonpaths' || jsonPaths === undefined) return undefined;
  const keys: string[] = [];
  for (const steps of jsonPathSteps(jsonPaths, columns, format.url)) {
    const [step] = steps;
    if (steps.length !== 1 || typeof step !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(step)) return undefined;
    keys.push(step);
  }
  if (keys.length > maxPlainKeys || new Set(keys.map((k) => k.toLowerCase())).size !== keys.length) return undefined;
  return keys;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** An object URL (s3://… or a path) DuckDB would read as written: no glob characters, nothing a URL would escape, and
 * not named as compressed (DuckDB would decompress by the name, this COPY by the bytes). */
export function directlyReadable(url: string): boolean {
  return /^[A-Za-z0-9._\-/=]+$/.test(url.replace(/^s3:\/\//, '')) && !/\.(gz|gzip|zst|zstd|bz2|xz|lz4)$/i.test(url);
}
