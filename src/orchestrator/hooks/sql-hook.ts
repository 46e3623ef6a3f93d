import { configError } from '../../core/errors.ts';
import type { SqlEngine } from '../../engines/engine.ts';
import { describeConnection, postgresUrl, type HookConnection } from './connection.ts';
import { LazyEngine } from './lazy-engine.ts';

/** What opens a star-schema engine (src/engines/open-engine.ts): a server's URL, or an embedded PGlite directory. */
export type SqlEngineOptions = { kind: 'postgres'; connectionString: string } | { kind: 'pglite'; dir?: string };

/**
 * conn_type postgres (or postgresql): host, port, login, password, schema = the database, extra.sslmode.
 * conn_type pglite: host = the data directory (Airflow's sqlite puts its file there); none = in memory.
 */
export function sqlEngineOptions(connection: HookConnection): SqlEngineOptions {
  const type = connection.conn_type.toLowerCase();
  if (type === 'postgres' || type === 'postgresql') return { kind: 'postgres', connectionString: postgresUrl(connection) };
  if (type === 'pglite') return connection.host ? { kind: 'pglite', dir: connection.host } : { kind: 'pglite' };
  throw configError(`the SQL hook takes a postgres or pglite connection, not ${JSON.stringify(connection.conn_type)}`);
}

/** A hook over the star-schema engines: the engine opens on first use (its driver loads then), and closes with the hook. */
export class SqlHook extends LazyEngine<SqlEngine> {
  constructor(connection: HookConnection) {
    const options = sqlEngineOptions(connection);
    super(describeConnection(connection), async () => {
      if (options.kind === 'postgres') {
        const { openEngine } = await import('../../engines/open-engine.ts');
        return openEngine(options.connectionString, '');
      }
      const { PgliteEngine } = await import('../../engines/pglite/pglite-engine.ts');
      return PgliteEngine.open(options.dir);
    });
  }
}
