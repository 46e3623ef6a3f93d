import { applyWarehouseLoad } from '../../pipelines/warehouse/apply-warehouse-load.ts';
import { planWarehouseLoad } from '../../pipelines/warehouse/warehouse-plan.ts';
import { BaseOperator, type TaskScope } from '../dag/base-operator.ts';
import type { JsonObject } from '../dag/json-value.ts';
import type { TaskContext } from '../dag/task-context.ts';
import type { TaskOptions } from '../dag/task-settings.ts';
import { ObjectStoreHook } from '../hooks/object-store-hook.ts';
import { WarehouseHook } from '../hooks/warehouse-hook.ts';
import { objects, table, under } from './dataset-names.ts';
import { hookConnection, withHook } from './hook-connection.ts';

export type WarehouseLoadParams = {
  /** duckdb or postgres: loaded; redshift: the load's SQL text is compiled and logged (no cluster is reachable from here). */
  warehouseConnId: string;
  /** An fs or aws connection. */
  storageConnId: string;
  bucket?: string;
  /** Keys (prefixes) under the store: default 'song_data' and 'log_data'. */
  songs?: string;
  events?: string;
  /** 'auto', 'auto ignorecase', or the jsonpaths file (a key in the store, or a location). Default 'auto ignorecase'. */
  eventsFormat?: string;
  maxErrors?: number;
  fastPaths?: boolean;
};

const star = ['songplays', 'users', 'songs', 'artists', 'time'];

/** `sparkify warehouse load` as a task: the same plan (planWarehouseLoad) and apply (applyWarehouseLoad). */
export class WarehouseLoad extends BaseOperator<WarehouseLoadParams, JsonObject> {
  override readonly templateFields = ['warehouseConnId', 'storageConnId', 'bucket', 'songs', 'events', 'eventsFormat'] as const;

  constructor(scope: TaskScope, id: string, options: WarehouseLoadParams & TaskOptions) {
    super(scope, id, {
      inlets: [objects(options?.songs ?? 'song_data'), objects(options?.events ?? 'log_data')],
      outlets: ['staging_events', 'staging_songs', ...star].map(table),
      ...options,
    });
  }

  async execute(context: TaskContext<WarehouseLoadParams>): Promise<JsonObject> {
    const p = context.params;
    const store = new ObjectStoreHook(await hookConnection(context, p.storageConnId));
    const base = store.base(p.bucket);
    const format = p.eventsFormat ?? 'auto ignorecase';
    const request = {
      songs: under(base, p.songs ?? 'song_data'),
      events: under(base, p.events ?? 'log_data'),
      eventsFormat: format.startsWith('auto') || /^(s3|file):\/\/|^\//.test(format) ? format : under(base, format),
      maxErrors: p.maxErrors ?? 0,
      fastPaths: p.fastPaths ?? true,
    };
    this.inlets = [objects(request.songs), objects(request.events)];
    return withHook(new WarehouseHook(await hookConnection(context, p.warehouseConnId)), async (hook): Promise<JsonObject> => {
      if (hook.options.target === 'redshift') {
        context.log(hook.compile(request));
        return { target: 'redshift', compiled: true };
      }
      const plan = planWarehouseLoad({ ...request, target: hook.options.target });
      context.log(`warehouse load of ${request.songs} and ${request.events} into ${hook.description}`);
      context.signal.throwIfAborted();
      const r = await applyWarehouseLoad(plan, await hook.engine(), { open: store.open, loadId: `${context.runId}/${context.taskId}/${context.tryNumber}` });
      if (r.rejected > 0) context.log(`${r.rejected} records rejected: SELECT * FROM load_errors WHERE load_id = '${r.loadId}'`);
      return {
        loadId: r.loadId, objects: r.objects, rejected: r.rejected, plays: r.plays,
        tables: [...r.staging, ...r.tables].map((t) => ({ table: t.table, rows: Number(t.rows) })),
        seconds: r.seconds,
      };
    });
  }
}
