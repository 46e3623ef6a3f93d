import type { FastifyInstance } from 'fastify';
import { SparkifyError } from '../../../core/errors.ts';
import { pageDagRuns, dagVersionNumbers } from '../../../orchestrator/metadb/api-pages.ts';
import { getDagRun } from '../../../orchestrator/metadb/dag-runs.ts';
import { getDag } from '../../../orchestrator/metadb/dags.ts';
import { listTaskInstances } from '../../../orchestrator/metadb/task-instances.ts';
import { getTaskRun } from '../../../orchestrator/metadb/task-runs.ts';
import { clearTasks } from '../../../orchestrator/scheduler-loop/clear-tasks.ts';
import { triggerDagRun } from '../../../orchestrator/scheduler-loop/trigger-dag-run.ts';
import type { DagRunState } from '../../../orchestrator/states.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { collection, nullableDateTime, nullableStr, object, str } from '../../json-schema.ts';
import { type PageParams, pageQuery } from '../../pagination.ts';
import { ApiProblem } from '../../problem.ts';
import { dagNotFound } from './dags.ts';
import { maybeDryRun } from './dry-run.ts';
import { dagRunOf, dagRunSchema, taskInstanceOf, taskInstanceSchema } from './shapes.ts';

const runStates = ['queued', 'running', 'success', 'failed'];
const runParams = object({ dag_id: str, dag_run_id: str });

export const runNotFound = (dagId: string, runId: string) => new ApiProblem(404, `The DagRun with dag_id: \`${dagId}\` and run_id: \`${runId}\` was not found`);

export async function registerDagRuns(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/api/v2/dags/:dag_id/dagRuns', {
    config: { access: 'public' },
    schema: {
      tags: ['DagRun'], summary: "List a DAG's runs (dag_id ~: every DAG's)", params: object({ dag_id: str }),
      querystring: { type: 'object', properties: { ...pageQuery, state: { type: 'array', items: { type: 'string', enum: runStates } } } },
      response: { 200: collection('dag_runs', dagRunSchema) },
    },
  }, async (request) => {
    const { dag_id } = request.params as { dag_id: string };
    const q = request.query as PageParams & { state?: DagRunState[] };
    if (dag_id !== '~' && (await getDag(deps.engine, dag_id)) === undefined) throw dagNotFound(dag_id);
    const { runs, total } = await pageDagRuns(deps.engine, dag_id === '~' ? null : dag_id, q.state ?? null, q.limit, q.offset);
    const numbers = new Map<string, Awaited<ReturnType<typeof dagVersionNumbers>>>();
    for (const id of new Set(runs.map((r) => r.dagId))) numbers.set(id, await dagVersionNumbers(deps.engine, id));
    return { dag_runs: runs.map((r) => dagRunOf(r, numbers.get(r.dagId) ?? new Map())), total_entries: total };
  });

  app.get('/api/v2/dags/:dag_id/dagRuns/:dag_run_id', {
    config: { access: 'public' },
    schema: { tags: ['DagRun'], summary: 'Get a DAG run', params: runParams, response: { 200: dagRunSchema } },
  }, async (request) => {
    const { dag_id, dag_run_id } = request.params as { dag_id: string; dag_run_id: string };
    const run = await getDagRun(deps.engine, dag_id, dag_run_id);
    if (run === undefined) throw runNotFound(dag_id, dag_run_id);
    return dagRunOf(run, await dagVersionNumbers(deps.engine, dag_id));
  });

  app.post('/api/v2/dags/:dag_id/dagRuns', {
    config: { access: 'operator' },
    schema: {
      tags: ['DagRun'], summary: 'Trigger a DAG run', params: object({ dag_id: str }),
      body: {
        type: 'object',
        properties: {
          logical_date: nullableDateTime, conf: { type: ['object', 'null'], additionalProperties: true }, dag_run_id: nullableStr,
          data_interval_start: nullableDateTime, data_interval_end: nullableDateTime, run_after: nullableDateTime, note: nullableStr,
        },
      },
      response: { 200: dagRunSchema },
    },
  }, async (request) => {
    const { dag_id } = request.params as { dag_id: string };
    const body = request.body as { logical_date?: string | null; conf?: Record<string, unknown> | null; dag_run_id?: string | null; data_interval_start?: string | null; data_interval_end?: string | null; run_after?: string | null };
    // Our run ids and data intervals are derived from the logical date (docs/api.md), never chosen by the caller.
    for (const field of ['dag_run_id', 'data_interval_start', 'data_interval_end', 'run_after'] as const) {
      if (body[field] != null) throw new ApiProblem(400, `${field} cannot be set: Sparkify derives it from the logical date`);
    }
    const now = deps.clock.now();
    const logicalDate = body.logical_date == null ? now : new Date(body.logical_date);
    try {
      const run = await deps.engine.transaction((tx) => triggerDagRun(tx, { dagId: dag_id, logicalDate, conf: body.conf ?? {}, now }));
      return dagRunOf(run, await dagVersionNumbers(deps.engine, dag_id));
    } catch (error) {
      if (error instanceof SparkifyError && error.code === 'SPK_E_NOT_FOUND') throw dagNotFound(dag_id);
      if (error instanceof SparkifyError && error.code === 'SPK_E_CONFIG' && error.details.logicalDate !== undefined) {
        throw new ApiProblem(409, `DAG ${dag_id} already has a run at logical date ${logicalDate.toISOString()}`);
      }
      throw error;
    }
  });

  app.post('/api/v2/dags/:dag_id/dagRuns/:dag_run_id/clear', {
    config: { access: 'operator' },
    schema: {
      tags: ['DagRun'], summary: "Clear a run's task instances (dry_run, the default, only lists them)", params: runParams,
      body: { type: 'object', properties: { dry_run: { type: 'boolean', default: true }, only_failed: { type: 'boolean', default: false }, note: nullableStr } },
      response: { 200: { anyOf: [dagRunSchema, collection('task_instances', taskInstanceSchema)] } },
    },
  }, async (request) => {
    const { dag_id, dag_run_id } = request.params as { dag_id: string; dag_run_id: string };
    const { dry_run, only_failed } = request.body as { dry_run: boolean; only_failed: boolean };
    const found = await getTaskRun(deps.engine, dag_id, dag_run_id);
    if (found === undefined) throw runNotFound(dag_id, dag_run_id);
    const numbers = await dagVersionNumbers(deps.engine, dag_id);
    const cleared = await maybeDryRun(deps.engine, dry_run, async (tx) => {
      const before = await listTaskInstances(tx, dag_id, dag_run_id);
      const ids = before.filter((t) => !only_failed || t.state === 'failed' || t.state === 'upstream_failed').map((t) => t.taskId);
      const result = await clearTasks(tx, { dagId: dag_id, runId: dag_run_id, taskIds: ids, now: deps.clock.now() });
      return before.filter((t) => result.cleared.includes(t.taskId));
    });
    if (dry_run) {
      return { task_instances: cleared.map((t) => taskInstanceOf(t, found, found.dag, numbers)), total_entries: cleared.length };
    }
    return dagRunOf((await getDagRun(deps.engine, dag_id, dag_run_id)) ?? found, numbers);
  });
}
