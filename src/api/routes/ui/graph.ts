import type { FastifyInstance } from 'fastify';
import { listDagRuns } from '../../../orchestrator/metadb/dag-runs.ts';
import { getDag } from '../../../orchestrator/metadb/dags.ts';
import { listTaskInstances } from '../../../orchestrator/metadb/task-instances.ts';
import { getTaskRun } from '../../../orchestrator/metadb/task-runs.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { notFound } from '../../problem.ts';
import { uiTasks } from './grid.ts';
import { dagParams, type DagParams } from './schemas.ts';

/**
 * The graph: tasks and their dependencies with one run's states. A run is drawn as its own DAG version (the tasks it
 * ran); without a run, the latest version and the newest run's states.
 */
export function registerGraph(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: DagParams; Querystring: { run_id?: string } }>('/ui/dags/:dag_id/graph', {
    schema: {
      tags: ['UI'], summary: 'Graph: tasks, dependencies and one run\'s states', params: dagParams,
      querystring: { type: 'object', properties: { run_id: { type: 'string', minLength: 1, maxLength: 250 } }, additionalProperties: false },
    },
  }, async (request) => {
    const { dag_id: dagId } = request.params;
    const dag = await getDag(deps.engine, dagId);
    if (dag === undefined) throw notFound(`no DAG ${dagId}`);
    const runId = request.query.run_id ?? (await listDagRuns(deps.engine, dagId, { limit: 1 }))[0]?.runId ?? null;
    let tasks = dag.serialized?.tasks ?? [];
    if (runId !== null) {
      const run = await getTaskRun(deps.engine, dagId, runId);
      if (run === undefined) throw notFound(`no run ${runId} of DAG ${dagId}`);
      tasks = run.dag.tasks;
    }
    const instances = runId === null ? [] : await listTaskInstances(deps.engine, dagId, runId);
    return {
      dagId, runId, tasks: uiTasks(tasks),
      states: Object.fromEntries(instances.map((i) => [i.taskId, { state: i.state, tryNumber: i.tryNumber }])),
    };
  });
}

/**
 * The DAG's params, the trigger form's starting conf (Airflow 3 answers them in /api/v2/dags/{id}/details, which the
 * API here does not have).
 */
export function registerDagParams(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: DagParams }>('/ui/dags/:dag_id/params', {
    schema: { tags: ['UI'], summary: 'The DAG\'s params: the trigger form\'s starting conf', params: dagParams },
  }, async (request) => {
    const dag = await getDag(deps.engine, request.params.dag_id);
    if (dag === undefined) throw notFound(`no DAG ${request.params.dag_id}`);
    return { params: dag.serialized?.params ?? {} };
  });
}
