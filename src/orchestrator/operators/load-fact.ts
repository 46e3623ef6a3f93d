import { loadFact } from '../../pipelines/warehouse-intervals/load-star.ts';
import { BaseOperator, type TaskScope } from '../dag/base-operator.ts';
import type { TaskContext } from '../dag/task-context.ts';
import type { TaskOptions } from '../dag/task-settings.ts';
import { table } from './dataset-names.ts';
import { intervalOf, onWarehouse } from './warehouse-task.ts';

export type LoadFactParams = { warehouseConnId: string };

export type LoadFactResult = { table: 'songplays'; plays: number; rows: number };

/**
 * The course's LoadFactOperator: songplays for the run's data interval, appended; re-running the interval replaces
 * exactly that interval's rows (warehouse-intervals/load-star.ts: loadFact), so retries and backfills are safe.
 */
export class LoadFact extends BaseOperator<LoadFactParams, LoadFactResult> {
  override readonly templateFields = ['warehouseConnId'] as const;

  constructor(scope: TaskScope, id: string, options: LoadFactParams & TaskOptions) {
    super(scope, id, { inlets: [table('staging_events'), table('staging_songs')], outlets: [table('songplays')], ...options });
  }

  async execute(context: TaskContext<LoadFactParams>): Promise<LoadFactResult> {
    const interval = intervalOf(context);
    return onWarehouse(context, context.params.warehouseConnId, async (engine, where) => {
      const r = await loadFact(engine, interval);
      context.log(`songplays in ${where} for [${interval.start.toISOString()}, ${interval.end.toISOString()}): ${r.plays} plays, ${r.rows} rows`);
      return { table: 'songplays', plays: r.plays, rows: r.rows };
    });
  }
}
