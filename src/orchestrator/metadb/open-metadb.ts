import { join } from 'node:path';
import type { LockWait, SqlEngine } from '../../engines/engine.ts';
import { describeTarget, openEngine } from '../../engines/open-engine.ts';
import { migrate, requireCurrentSchema } from './migrate.ts';

/**
 * The embedded metadata database: `<data-dir>/orchestrator/pglite`, apart from the star schema's `<data-dir>/pglite`,
 * so that a load (which holds its PGlite directory for the whole load) never keeps the scheduler out, and the other
 * way round.
 */
export function metadbDir(dataDir: string): string {
  return join(dataDir, 'orchestrator', 'pglite');
}

export interface OpenMetadbOptions {
  /** A postgres:// URL, or a PGlite directory; default: metadbDir(dataDir). */
  db?: string | undefined;
  dataDir: string;
  wait?: LockWait;
}

/**
 * Opens the metadata database for a command. The embedded one is this user's own and is migrated on the way in (as
 * `sparkify dags test` needs: no prepared database); a server's is shared, and a command refuses it until
 * `sparkify db migrate` has brought it up to date (as Airflow asks for `airflow db migrate`), rather than changing
 * a schema other processes are using behind their back.
 */
export async function openMetadb(options: OpenMetadbOptions): Promise<SqlEngine> {
  const engine = await openEngine(options.db ?? metadbDir(options.dataDir), options.dataDir, options.wait);
  try {
    if (engine.kind === 'pglite') await migrate(engine);
    else await requireCurrentSchema(engine, engine.description);
    return engine;
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
}

export function describeMetadb(options: OpenMetadbOptions): string {
  return describeTarget(options.db ?? metadbDir(options.dataDir), options.dataDir);
}
