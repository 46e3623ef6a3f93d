import { join } from 'node:path';
import { defaultDataDir } from '../../core/options.ts';
import type { HookConnection } from '../hooks/connection.ts';

/**
 * The connections a fresh installation works with before anyone adds one (as Airflow's default connections): the
 * embedded warehouse and star schema under the data directory, and the demo dataset `npm start` simulates there. A
 * connection of the same id in the metadata database always wins. The data directory is the task process's
 * (SPARKIFY_DATA_DIR or ./.sparkify), the one the CLI that started it uses.
 */
export function defaultConnection(connId: string, dataDir: string = defaultDataDir()): HookConnection | undefined {
  switch (connId) {
    case 'sparkify_warehouse':
      return { conn_type: 'duckdb', host: join(dataDir, 'warehouse.duckdb') };
    case 'sparkify_db':
      return { conn_type: 'pglite', host: join(dataDir, 'pglite') };
    case 'sparkify_data':
      return { conn_type: 'fs', extra: { path: join(dataDir, 'demo', 'data') } };
    case 'sparkify_reports':
      return { conn_type: 'fs', extra: { path: join(dataDir, 'reports') } };
    default:
      return undefined;
  }
}

export const defaultConnectionIds = ['sparkify_data', 'sparkify_db', 'sparkify_reports', 'sparkify_warehouse'] as const;
