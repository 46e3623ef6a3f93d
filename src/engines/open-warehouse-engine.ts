import { join } from 'node:path';
import type { LockWait, SqlEngine } from './engine.ts';
import { refuseUnknownScheme } from './open-engine.ts';

/**
 * The engine for a warehouse target: DuckDB in a file (default `<data-dir>/warehouse.duckdb`), or a PostgreSQL server
 * named by a postgres:// URL. Drivers load lazily so a command pays only for its own.
 */
export async function openWarehouseEngine(target: 'duckdb' | 'postgres', db: string | undefined, dataDir: string, wait?: LockWait): Promise<SqlEngine> {
  if (target === 'postgres') {
    const { PostgresEngine } = await import('./postgres/postgres-engine.ts');
    return new PostgresEngine({ connectionString: db as string, applicationName: 'sparkify-warehouse' });
  }
  // A file path here: a URL (even postgres://, which needs --target postgres) is not one.
  refuseUnknownScheme(db, false);
  const { DuckDbEngine } = await import('./duckdb/duckdb-engine.ts');
  return DuckDbEngine.open({ path: db ?? warehouseFile(dataDir), ...(wait === undefined ? {} : { wait }) });
}

export function warehouseFile(dataDir: string): string {
  return join(dataDir, 'warehouse.duckdb');
}
