import { readdirSync, readFileSync } from 'node:fs';

/**
 * The metadata database's queries, one statement per file in ./sql (graphile-worker's habit: SQL is the source of
 * truth, readable and reviewable as SQL). Read once, on first use, not at import: a command that never touches the
 * database pays nothing.
 */
let statements: Map<string, string> | undefined;

export function sql(name: string): string {
  statements ??= readAll();
  const text = statements.get(name);
  // A missing file is a bug in this folder, not a user's mistake.
  if (text === undefined) throw new Error(`no SQL file ${name}.sql in src/orchestrator/metadb/sql`);
  return text;
}

function readAll(): Map<string, string> {
  const dir = new URL('./sql/', import.meta.url);
  const map = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.sql')) map.set(file.slice(0, -4), readFileSync(new URL(file, dir), 'utf8'));
  }
  return map;
}
