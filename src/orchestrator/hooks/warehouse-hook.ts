import { configError } from '../../core/errors.ts';
import { loadLockWaitMs, type SqlEngine } from '../../engines/engine.ts';
import { formatWarehousePlan, planWarehouseLoad, type WarehouseLoadRequest } from '../../pipelines/warehouse/warehouse-plan.ts';
import { describeConnection, extrasOf, postgresUrl, textExtra, type HookConnection } from './connection.ts';
import { LazyEngine } from './lazy-engine.ts';

/** What opens a warehouse (src/engines/open-warehouse-engine.ts), or, for Redshift, what its compiled SQL needs. */
export type WarehouseOptions =
  | { target: 'duckdb'; path?: string; threads?: number }
  | { target: 'postgres'; connectionString: string }
  | { target: 'redshift'; iamRole?: string; region?: string };

/**
 * conn_type duckdb: host = the database file (none = in memory), extra.threads. conn_type postgres (postgresql): as
 * the SQL hook. conn_type redshift: no cluster is reachable from here, so the hook compiles SQL text only;
 * extra.iam_role and extra.region are what its COPY statements name (host, login and password are not used).
 */
export function warehouseOptions(connection: HookConnection): WarehouseOptions {
  const type = connection.conn_type.toLowerCase();
  const extras = extrasOf(connection);
  if (type === 'postgres' || type === 'postgresql') return { target: 'postgres', connectionString: postgresUrl(connection) };
  if (type === 'duckdb') {
    const threads = extras['threads'];
    if (threads !== undefined && !(Number.isInteger(threads) && (threads as number) >= 1)) throw configError('connection (duckdb): extra.threads must be a whole number from 1');
    return { target: 'duckdb', ...(connection.host ? { path: connection.host } : {}), ...(threads === undefined ? {} : { threads: threads as number }) };
  }
  if (type === 'redshift') {
    const iamRole = textExtra(connection, extras, 'iam_role');
    const region = textExtra(connection, extras, 'region');
    return { target: 'redshift', ...(iamRole === undefined ? {} : { iamRole }), ...(region === undefined ? {} : { region }) };
  }
  throw configError(`the warehouse hook takes a duckdb, postgres or redshift connection, not ${JSON.stringify(connection.conn_type)}`);
}

/** A hook over the warehouse: DuckDB or PostgreSQL opened on first use; Redshift as the SQL text of a plan. */
export class WarehouseHook extends LazyEngine<SqlEngine> {
  readonly options: WarehouseOptions;

  constructor(connection: HookConnection) {
    const options = warehouseOptions(connection);
    super(describeConnection(connection), async () => {
      if (options.target === 'redshift') throw configError('a Redshift warehouse is compiled to SQL text (WarehouseHook.compile), never run from here');
      if (options.target === 'postgres') {
        const { openWarehouseEngine } = await import('../../engines/open-warehouse-engine.ts');
        return openWarehouseEngine('postgres', options.connectionString, '');
      }
      const { DuckDbEngine } = await import('../../engines/duckdb/duckdb-engine.ts');
      // A DuckDB file is one process's at a time: tasks of one run in parallel (the two stage steps, the four
      // dimensions), each in its own process, take turns as loads of one server database would, not fail at once.
      const wait = options.path === undefined ? {} : { wait: { ms: loadLockWaitMs } };
      return DuckDbEngine.open({ ...(options.path === undefined ? {} : { path: options.path }), ...(options.threads === undefined ? {} : { threads: options.threads }), ...wait });
    });
    this.options = options;
  }

  /** The whole load as the SQL text this target runs (`warehouse plan`): Redshift's DDL, COPY and transform. */
  compile(request: Omit<WarehouseLoadRequest, 'target' | 'iamRole' | 'region'>): string {
    const o = this.options;
    return formatWarehousePlan(planWarehouseLoad({
      ...request, target: o.target,
      ...(o.target === 'redshift' && o.iamRole !== undefined ? { iamRole: o.iamRole } : {}),
      ...(o.target === 'redshift' && o.region !== undefined ? { region: o.region } : {}),
    }));
  }
}
