// A custom operator, in the course's plugin model: it reads the day's plays from the warehouse through the platform's
// warehouse hook and writes them as a report through this folder's own hook.
import { BaseOperator, type TaskContext, type TaskOptions, type TaskScope } from '../../src/orchestrator/dag/index.ts';
import { hookConnection, onWarehouse } from '../../src/orchestrator/operators/index.ts';
import { ReportFileHook } from './report-file-hook.ts';

export type DailyPlaysReportParams = { warehouseConnId: string; reportsConnId: string; name: string };

export type PlaysByLevel = { level: string; plays: number }[];

export class DailyPlaysReport extends BaseOperator<DailyPlaysReportParams, PlaysByLevel> {
  override readonly templateFields = ['warehouseConnId', 'reportsConnId', 'name'] as const;

  constructor(scope: TaskScope, id: string, options: DailyPlaysReportParams & TaskOptions) {
    super(scope, id, { inlets: [{ kind: 'table', name: 'songplays' }], outlets: [{ kind: 'objects', name: 'reports/' }], ...options });
  }

  async execute(context: TaskContext<DailyPlaysReportParams>): Promise<PlaysByLevel> {
    const p = context.params;
    const [from, to] = [context.dataIntervalStart, context.dataIntervalEnd].map((d) => `TIMESTAMP '${d.toISOString().slice(0, 19).replace('T', ' ')}'`);
    const byLevel = await onWarehouse(context, p.warehouseConnId, async (engine) => {
      const rows = await engine.query<{ level: string; plays: unknown }>(
        `SELECT level, count(*) AS plays FROM songplays WHERE start_time >= ${from} AND start_time < ${to} GROUP BY level ORDER BY level`);
      return rows.map((r) => ({ level: r.level, plays: Number(r.plays) }));
    });
    const hook = new ReportFileHook(await hookConnection(context, p.reportsConnId));
    const path = await hook.write(p.name, `${JSON.stringify({ day: context.dataIntervalStart.toISOString().slice(0, 10), byLevel })}\n`);
    context.log(`wrote ${path}`);
    return byLevel;
  }
}
