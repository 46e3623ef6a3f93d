import type { TestContext } from 'node:test';
import type { SqlEngine } from '../../src/engines/engine.ts';
import { PgliteEngine } from '../../src/engines/pglite/pglite-engine.ts';
import { PostgresEngine } from '../../src/engines/postgres/postgres-engine.ts';
import { testDatabase } from './postgres.ts';
import { runStoppers } from './teardown.ts';

export const engineKinds = ['pglite', 'postgres'] as const;

/**
 * A fresh, empty database on the given engine, closed (and for Postgres dropped) when the test ends:
 * an in-memory PGlite, or a new database on the real server `npm test` started. Undefined = skipped.
 */
export async function freshEngine(t: TestContext, kind: (typeof engineKinds)[number]): Promise<SqlEngine | undefined> {
  if (kind === 'pglite') {
    const engine = await PgliteEngine.open();
    t.after(async () => {
      await runStoppers(t);
      await engine.close();
    });
    return engine;
  }
  const db = await testDatabase(t);
  if (db === undefined) return undefined;
  const engine = new PostgresEngine({ connectionString: db.url });
  // The drop (registered first) runs the test's stoppers (test/support/teardown.ts), then drops WITH (FORCE).
  t.after(() => engine.close());
  return engine;
}

/** Per-table content checksums: equal checksums on two engines mean identical tables. */
export async function tableChecksums(engine: SqlEngine, tables: Record<string, string>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, orderBy] of Object.entries(tables)) {
    const [row] = await engine.query<{ sum: string }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY ${orderBy}), '')) AS sum FROM ${table} t`);
    out[table] = row?.sum ?? '';
  }
  return out;
}
