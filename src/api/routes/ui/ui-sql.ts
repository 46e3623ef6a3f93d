import { readFileSync } from 'node:fs';

/**
 * The UI's own queries, one statement per file as the metadb keeps its own (src/orchestrator/metadb/sql.ts):
 * `metadb/` runs on the orchestrator's database (PGlite or Postgres), `warehouse/` on the star schema (DuckDB or
 * Postgres, so written in the SQL both speak). Read on first use, then kept.
 */
const cache = new Map<string, string>();

export function uiSql(name: `${'metadb' | 'warehouse'}/${string}`): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8').trim();
    cache.set(name, text);
  }
  return text;
}
