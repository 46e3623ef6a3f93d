import { configError } from '../../core/errors.ts';
import { stageEvents } from '../../pipelines/warehouse-intervals/stage-events.ts';
import { stageSongs } from '../../pipelines/warehouse-intervals/stage-songs.ts';
import { BaseOperator, type TaskScope } from '../dag/base-operator.ts';
import type { TaskContext } from '../dag/task-context.ts';
import type { TaskOptions } from '../dag/task-settings.ts';
import { ObjectStoreHook } from '../hooks/object-store-hook.ts';
import { WarehouseHook } from '../hooks/warehouse-hook.ts';
import { objects, staticPrefix, table, under } from './dataset-names.ts';
import { hookConnection, withHook } from './hook-connection.ts';

export type StageToWarehouseParams = {
  /** staging_events: only the run's data interval is staged; staging_songs: all song metadata (it has no time). */
  table: 'staging_events' | 'staging_songs';
  warehouseConnId: string;
  /** An fs or aws connection: where the objects are. */
  storageConnId: string;
  /** S3 only: the bucket (default: the connection's schema). */
  bucket?: string;
  /** The key (prefix) of the objects, templated: `log_data/{{ logical_date | date: '%Y/%-m' }}/{{ ds }}-events.json`. */
  key: string;
  /** 'auto', 'auto ignorecase', or the jsonpaths file: a key in the same store, or a location (s3://…, /path). Default 'auto'. */
  format?: string;
  /** Rejected records allowed before the task fails (Redshift's MAXERROR); default 0. */
  maxErrors?: number;
};

export type StageResult = { table: string; objects: number; read: number; rejected: number; staged: number };

const stagingTables = ['staging_events', 'staging_songs'];

/**
 * The course's StageToRedshiftOperator: COPY JSON objects into a staging table with Redshift's semantics, on the
 * warehouse connection's engine (DuckDB or PostgreSQL). Events: the run's key, and of its records only the data
 * interval's; re-running the interval replaces exactly its staged rows. Rejects go to load_errors under
 * `<run id>/<task id>/<try>`.
 */
export class StageToWarehouse extends BaseOperator<StageToWarehouseParams, StageResult> {
  override readonly templateFields = ['warehouseConnId', 'storageConnId', 'bucket', 'key', 'format'] as const;

  constructor(scope: TaskScope, id: string, options: StageToWarehouseParams & TaskOptions) {
    if (!stagingTables.includes(options?.table)) throw configError(`StageToWarehouse '${id}': table must be one of ${stagingTables.join(', ')}`);
    super(scope, id, {
      inlets: [objects(staticPrefix(options.key)), ...(options.format && !options.format.startsWith('auto') && staticPrefix(options.format) === options.format ? [objects(options.format)] : [])],
      outlets: [table(options.table)],
      ...options,
    });
  }

  async execute(context: TaskContext<StageToWarehouseParams>): Promise<StageResult> {
    const p = context.params;
    const store = new ObjectStoreHook(await hookConnection(context, p.storageConnId));
    const from = store.base(p.bucket);
    const format = p.format === undefined || p.format.startsWith('auto') || /^(s3|file):\/\/|^\//.test(p.format) ? (p.format ?? 'auto') : under(from, p.format);
    // Recorded lineage names the objects actually read: the store's location and the key's constant part.
    this.inlets = [objects(under(from, staticPrefix(p.key))), ...(format.startsWith('auto') ? [] : [objects(format)])];
    const request = {
      from, key: p.key, format, open: store.open, loadId: `${context.runId}/${context.taskId}/${context.tryNumber}`,
      ...(p.maxErrors === undefined ? {} : { maxErrors: p.maxErrors }),
    };
    const interval = { start: context.dataIntervalStart, end: context.dataIntervalEnd };
    return withHook(new WarehouseHook(await hookConnection(context, p.warehouseConnId)), async (hook) => {
      context.log(`staging ${p.table} from ${under(from, p.key)} (${format}) into ${hook.description}` +
        (p.table === 'staging_events' ? ` for [${interval.start.toISOString()}, ${interval.end.toISOString()})` : ''));
      context.signal.throwIfAborted();
      const engine = await hook.engine();
      const r = p.table === 'staging_events' ? await stageEvents(engine, { ...request, interval }) : await stageSongs(engine, request);
      context.log(`${r.objects} objects, ${r.read} records read, ${r.rejected} rejected, ${r.staged} staged`);
      return { table: p.table, objects: r.objects, read: r.read, rejected: r.rejected, staged: r.staged };
    });
  }
}
