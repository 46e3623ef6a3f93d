import { configError } from '../../core/errors.ts';
import { dimensionModes, dimensionTables, type DimensionMode, type DimensionTable } from '../../pipelines/warehouse-intervals/interval-plans.ts';
import { loadDimension } from '../../pipelines/warehouse-intervals/load-star.ts';
import { BaseOperator, type TaskScope } from '../dag/base-operator.ts';
import type { TaskContext } from '../dag/task-context.ts';
import type { TaskOptions } from '../dag/task-settings.ts';
import { table } from './dataset-names.ts';
import { intervalOf, onWarehouse } from './warehouse-task.ts';

export type LoadDimensionParams = {
  warehouseConnId: string;
  table: DimensionTable;
  /** 'truncate-insert' (the course's default: rebuilt from everything staged) or 'upsert' (merged; users and time from the run's interval). */
  mode: DimensionMode;
};

/** What each dimension's rule reads: plays are events, songs and artists the song metadata. */
const reads: Record<DimensionTable, string> = { users: 'staging_events', time: 'staging_events', songs: 'staging_songs', artists: 'staging_songs' };

/** The course's LoadDimensionOperator, with its truncate-insert / append switch as `mode` (load-star.ts: loadDimension). */
export class LoadDimension extends BaseOperator<LoadDimensionParams, { table: string; mode: string; rows: number }> {
  override readonly templateFields = ['warehouseConnId'] as const;

  constructor(scope: TaskScope, id: string, options: LoadDimensionParams & TaskOptions) {
    if (!dimensionTables.includes(options?.table)) throw configError(`LoadDimension '${id}': table must be one of ${dimensionTables.join(', ')}`);
    if (!dimensionModes.includes(options.mode)) throw configError(`LoadDimension '${id}': mode must be one of ${dimensionModes.join(', ')}`);
    super(scope, id, { inlets: [table(reads[options.table])], outlets: [table(options.table)], ...options });
  }

  async execute(context: TaskContext<LoadDimensionParams>): Promise<{ table: string; mode: string; rows: number }> {
    const { table: name, mode } = context.params;
    return onWarehouse(context, context.params.warehouseConnId, async (engine, where) => {
      await loadDimension(engine, { table: name, mode, interval: intervalOf(context) });
      const rows = Number((await engine.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${name}`))[0]?.n ?? 0);
      context.log(`${name} in ${where} (${mode}): ${rows} rows`);
      return { table: name, mode, rows };
    });
  }
}
