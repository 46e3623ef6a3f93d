import { configError } from '../../../core/errors.ts';
import type { StagingColumn } from '../staging-tables.ts';

/**
 * COPY's JSON modes. 'auto' maps top-level keys to columns by name (exactly, as Redshift compares them with its
 * lower-case column names); 'auto ignorecase' ignores case; a jsonpaths file maps the n-th path to the n-th column.
 */
export type JsonFormat = { mode: 'auto' } | { mode: 'auto ignorecase' } | { mode: 'jsonpaths'; url: string };

/** One step into a JSON value: an object key or an array index. */
export type PathStep = string | number;

/** Picks each column's value out of a parsed record; `undefined` where the record has no such field. */
export type Extractor = (record: Record<string, unknown>) => unknown[];

export function autoExtractor(columns: readonly StagingColumn[], ignoreCase: boolean): Extractor {
  const names = columns.map((c) => c.name);
  if (!ignoreCase) return (record) => names.map((n) => record[n]);
  return (record) => {
    const folded = new Map<string, unknown>();
    for (const [key, value] of Object.entries(record)) {
      const k = key.toLowerCase();
      // As with duplicate keys in JSON.parse, the last one wins.
      folded.set(k, value);
    }
    return names.map((n) => folded.get(n));
  };
}

/** The extractor of a COPY's JSON format; `jsonPaths` is the jsonpaths document's text for that format. */
export function extractorFor(format: JsonFormat, columns: readonly StagingColumn[], jsonPaths?: string): Extractor {
  if (format.mode !== 'jsonpaths') return autoExtractor(columns, format.mode === 'auto ignorecase');
  return jsonPathsExtractor(jsonPaths ?? '', columns, format.url);
}

/** Parses a jsonpaths document ({"jsonpaths": ["$['a']", "$.b[0]", …]}); one path per column, or a clear error. */
export function jsonPathsExtractor(text: string, columns: readonly StagingColumn[], source: string): Extractor {
  const paths = jsonPathSteps(text, columns, source);
  return (record) => paths.map((steps) => {
    let value: unknown = record;
    for (const step of steps) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string | number, unknown>)[step];
    }
    return value;
  });
}

/** A jsonpaths document's paths as steps, one path per column, or a clear error. */
export function jsonPathSteps(text: string, columns: readonly StagingColumn[], source: string): PathStep[][] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw configError(`jsonpaths file ${source} is not valid JSON: ${(cause as Error).message}`);
  }
  const list = (doc as { jsonpaths?: unknown } | null)?.jsonpaths;
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) {
    throw configError(`jsonpaths file ${source} must be {"jsonpaths": ["$['field']", …]}`);
  }
  if (list.length !== columns.length) {
    throw configError(`jsonpaths file ${source} has ${list.length} paths but the table has ${columns.length} columns`);
  }
  return (list as string[]).map((p) => parseJsonPath(p, source));
}

/** `$['a']`, `$["a"]`, `$.a`, `$.a[0]`, `$['a']['b']`: the JSONPath subset Redshift's COPY accepts. */
export function parseJsonPath(path: string, source: string): PathStep[] {
  const bad = () => configError(`jsonpaths file ${source}: cannot parse path ${JSON.stringify(path)}`);
  if (!path.startsWith('$')) throw bad();
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path.slice(i + 1));
      if (!m) throw bad();
      steps.push(m[0]);
      i += 1 + m[0].length;
    } else if (path[i] === '[') {
      const m = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\d+))\]/.exec(path.slice(i));
      if (!m) throw bad();
      const key = m[1] ?? m[2];
      steps.push(key !== undefined ? key.replace(/\\(.)/g, '$1') : Number(m[3]));
      i += m[0].length;
    } else {
      throw bad();
    }
  }
  if (steps.length === 0) throw bad();
  return steps;
}
