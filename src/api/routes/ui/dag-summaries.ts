import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../api-deps.ts';
import { limitQuery } from './schemas.ts';
import { uiSql } from './ui-sql.ts';

/** Each DAG's newest runs (the DAG list's row of dots), which Airflow's /api/v2/dags does not carry. */
export function registerDagSummaries(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: { limit: number } }>('/ui/dags', {
    schema: { tags: ['UI'], summary: 'Each DAG\'s newest runs', querystring: limitQuery(100, 10) },
  }, async (request) => {
    const rows = await deps.engine.query<{ dag_id: string; run_id: string; state: string; logical_date: Date }>(uiSql('metadb/recent-runs'), [request.query.limit]);
    const dags = new Map<string, { dagId: string; recentRuns: { runId: string; state: string; logicalDate: Date }[] }>();
    for (const r of rows) {
      let dag = dags.get(r.dag_id);
      if (dag === undefined) dags.set(r.dag_id, (dag = { dagId: r.dag_id, recentRuns: [] }));
      dag.recentRuns.push({ runId: r.run_id, state: r.state, logicalDate: r.logical_date });
    }
    return { dags: [...dags.values()] };
  });
}
