import { join } from 'node:path';
import type { SqlEngine } from './engine.ts';

/**
 * The engine for a `--db` value: a postgres:// URL means a real server, anything else the embedded
 * PGlite database under the data directory. Drivers load lazily so a command pays only for its own.
 */
export async function openEngine(db: string | undefined, dataDir: string): Promise<SqlEngine> {
  if (db !== undefined && /^postgres(ql)?:\/\//.test(db)) {
    const { PostgresEngine } = await import('./postgres/postgres-engine.ts');
    return new PostgresEngine({ connectionString: db });
  }
  const { PgliteEngine } = await import('./pglite/pglite-engine.ts');
  return PgliteEngine.open(db ?? pgliteDir(dataDir));
}

export function pgliteDir(dataDir: string): string {
  return join(dataDir, 'pglite');
}

export function describeTarget(db: string | undefined, dataDir: string): string {
  if (db !== undefined && /^postgres(ql)?:\/\//.test(db)) {
    try {
      const url = new URL(db);
      if (url.password) url.password = '***';
      return `postgres ${url.toString()}`;
    } catch {
      return 'postgres (unparseable URL)';
    }
  }
  return `pglite ${db ?? pgliteDir(dataDir)}`;
}
