import type { FastifyInstance } from 'fastify';
import type { SqlSession } from '../../../engines/engine.ts';
import type { SerializedTask } from '../../../orchestrator/dag/serialized-dag.ts';
import { listDagRuns } from '../../../orchestrator/metadb/dag-runs.ts';
import { getDag } from '../../../orchestrator/metadb/dags.ts';
import { topologicalOrder } from '../../../orchestrator/scheduler/topological-order.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { notFound } from '../../problem.ts';
import { dagParams, limitQuery, type DagParams } from './schemas.ts';
import { uiSql } from './ui-sql.ts';

export interface UiTask {
  id: string;
  operator: string;
  upstream: string[];
  group: string | null;
}

/** A task as the views draw it, in the DAG's topological order (Airflow's grid lists tasks that way too). */
export function uiTasks(tasks: readonly SerializedTask[]): UiTask[] {
  return topologicalOrder(tasks).map((t) => ({ id: t.id, operator: t.operator, upstream: [...t.upstream], group: t.group }));
}

/**
 * The grid: the DAG's last `limit` runs × its tasks, with every cell's state and try. Rows are the latest version's
 * tasks; a task only older runs had (since removed from the file) is added below them, so no cell is lost.
 */
export async function gridOf(session: SqlSession, dagId: string, limit: number) {
  const dag = await getDag(session, dagId);
  if (dag === undefined) throw notFound(`no DAG ${dagId}`);
  const runs = await listDagRuns(session, dagId, { limit });
  const cells = await session.query<{ run_id: string; task_id: string; state: string; try_number: number }>(
    uiSql('metadb/grid-cells'), [dagId, runs.map((r) => r.runId)]);
  const tasks = uiTasks(dag.serialized?.tasks ?? []);
  const known = new Set(tasks.map((t) => t.id));
  for (const id of [...new Set(cells.map((c) => c.task_id))].sort()) {
    if (!known.has(id)) tasks.push({ id, operator: '(removed)', upstream: [], group: null });
  }
  return {
    dagId,
    tasks,
    runs: runs.map((r) => ({ runId: r.runId, state: r.state, runType: r.runType, logicalDate: r.logicalDate, startDate: r.startDate, endDate: r.endDate })),
    // No times per cell: 100 tasks x 365 runs are 36,500 cells, and the task's details carry its times.
    cells: cells.map((c) => ({ runId: c.run_id, taskId: c.task_id, state: c.state, tryNumber: c.try_number })),
  };
}

export function registerGrid(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: DagParams; Querystring: { limit: number } }>('/ui/dags/:dag_id/grid', {
    schema: { tags: ['UI'], summary: 'Grid: the last runs × tasks with their states', params: dagParams, querystring: limitQuery(1000, 25) },
  }, async (request) => gridOf(deps.engine, request.params.dag_id, request.query.limit));
}
