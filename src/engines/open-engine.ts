import { join } from 'node:path';
import { configError } from '../core/errors.ts';
import type { LockWait, SqlEngine } from './engine.ts';

/**
 * The engine for a `--db` value: a postgres:// URL means a real server, anything else the embedded
 * PGlite database under the data directory. Drivers load lazily so a command pays only for its own.
 */
export async function openEngine(db: string | undefined, dataDir: string, wait?: LockWait): Promise<SqlEngine> {
  refuseUnknownScheme(db);
  if (db !== undefined && /^postgres(ql)?:\/\//.test(db)) {
    const { PostgresEngine } = await import('./postgres/postgres-engine.ts');
    return new PostgresEngine({ connectionString: db });
  }
  const { PgliteEngine } = await import('./pglite/pglite-engine.ts');
  return PgliteEngine.open(db ?? pgliteDir(dataDir), wait);
}

export function pgliteDir(dataDir: string): string {
  return join(dataDir, 'pglite');
}

/**
 * A `--db` that looks like a URL of another kind (a typo such as postgress://) is refused rather than taken for a
 * directory named after it. Only the scheme is quoted: the rest may hold a password.
 */
export function refuseUnknownScheme(db: string | undefined, postgres = true): void {
  const scheme = db === undefined ? undefined : /^([a-z][a-z0-9+.-]*):\/\//i.exec(db)?.[1];
  if (scheme !== undefined && !(postgres && /^postgres(ql)?$/.test(scheme))) {
    throw configError(`--db: unknown scheme ${scheme.slice(0, 40)}:// (a server is postgres://user@host:port/database; anything else is a directory or file path)`);
  }
}

export function describeTarget(db: string | undefined, dataDir: string): string {
  refuseUnknownScheme(db);
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
