import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../api-deps.ts';
import { dagParams, limitQuery, type DagParams } from './schemas.ts';
import { uiSql } from './ui-sql.ts';

/** Run durations over time and each task's duration trend, over the DAG's last `limit` runs. */
export function registerDurations(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: DagParams; Querystring: { limit: number } }>('/ui/dags/:dag_id/durations', {
    schema: { tags: ['UI'], summary: 'Run and task durations over the last runs', params: dagParams, querystring: limitQuery(5000, 200) },
  }, async (request) => {
    const args = [request.params.dag_id, request.query.limit];
    const [runs, tasks] = await Promise.all([
      deps.engine.query<{ run_id: string; logical_date: Date; state: string; seconds: number }>(uiSql('metadb/run-durations'), args),
      deps.engine.query<{ run_id: string; logical_date: Date; task_id: string; seconds: number }>(uiSql('metadb/task-durations'), args),
    ]);
    return {
      runs: runs.map((r) => ({ runId: r.run_id, logicalDate: r.logical_date, state: r.state, seconds: r.seconds })),
      tasks: tasks.map((t) => ({ runId: t.run_id, logicalDate: t.logical_date, taskId: t.task_id, seconds: t.seconds })),
    };
  });
}
