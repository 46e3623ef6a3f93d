import type { FastifyInstance } from 'fastify';
import type { SqlSession } from '../../../engines/engine.ts';
import { dagVersionNumbers } from '../../../orchestrator/metadb/api-pages.ts';
import { setDagRunState } from '../../../orchestrator/metadb/dag-runs.ts';
import { lockDagForChange } from '../../../orchestrator/metadb/dags.ts';
import { listTaskTries } from '../../../orchestrator/metadb/task-instance-moves.ts';
import { listTaskInstances, setTaskState, type TaskInstanceRow } from '../../../orchestrator/metadb/task-instances.ts';
import { getTaskRun, type TaskRun } from '../../../orchestrator/metadb/task-runs.ts';
import { clearTasks } from '../../../orchestrator/scheduler-loop/clear-tasks.ts';
import { withDownstream } from '../../../orchestrator/scheduler-loop/downstream-of.ts';
import type { TaskState } from '../../../orchestrator/states.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { bool, collection, nullableStr, object, str } from '../../json-schema.ts';
import { page, type PageParams, pageQuery } from '../../pagination.ts';
import { ApiProblem } from '../../problem.ts';
import { runNotFound } from './dag-runs.ts';
import { maybeDryRun } from './dry-run.ts';
import { taskInstanceOf, taskInstanceSchema } from './shapes.ts';

const tiParams = object({ dag_id: str, dag_run_id: str, task_id: str });
/** Airflow's task instance states (our `none` is its null, asked for as "no_status"). */
const tiStates = ['removed', 'scheduled', 'queued', 'running', 'success', 'restarting', 'failed', 'up_for_retry', 'up_for_reschedule', 'upstream_failed', 'skipped', 'deferred', 'no_status'];
const tiCollection = collection('task_instances', taskInstanceSchema);

export const tiNotFound = (k: { dag_id: string; dag_run_id: string; task_id: string }) =>
  new ApiProblem(404, `The Task Instance with dag_id: \`${k.dag_id}\`, run_id: \`${k.dag_run_id}\`, task_id: \`${k.task_id}\` and map_index: \`-1\` was not found`);

export async function runAndTaskInstances(session: SqlSession, dagId: string, runId: string): Promise<{ run: TaskRun; tis: TaskInstanceRow[] }> {
  const run = await getTaskRun(session, dagId, runId);
  if (run === undefined) throw runNotFound(dagId, runId);
  return { run, tis: await listTaskInstances(session, dagId, runId) };
}

/** Airflow's options our model has no counterpart for: refused when asked for, rather than ignored. */
function notSupported(body: Record<string, unknown>, fields: string[]): void {
  for (const f of fields) if (body[f] === true) throw new ApiProblem(400, `${f} is not supported (docs/api.md)`);
}

export async function registerTaskInstances(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/api/v2/dags/:dag_id/dagRuns/:dag_run_id/taskInstances', {
    config: { access: 'public' },
    schema: {
      tags: ['TaskInstance'], summary: "A run's task instances", params: object({ dag_id: str, dag_run_id: str }),
      querystring: { type: 'object', properties: { ...pageQuery, state: { type: 'array', items: { type: 'string', enum: tiStates } }, task_id: str } },
      response: { 200: tiCollection },
    },
  }, async (request) => {
    const { dag_id, dag_run_id } = request.params as { dag_id: string; dag_run_id: string };
    const q = request.query as PageParams & { state?: string[]; task_id?: string };
    const { run, tis } = await runAndTaskInstances(deps.engine, dag_id, dag_run_id);
    const wanted = q.state?.map((s) => (s === 'no_status' ? 'none' : s));
    const all = tis.filter((t) => (wanted === undefined || wanted.includes(t.state)) && (q.task_id === undefined || t.taskId === q.task_id));
    const numbers = await dagVersionNumbers(deps.engine, dag_id);
    return { task_instances: page(all, q).map((t) => taskInstanceOf(t, run, run.dag, numbers)), total_entries: all.length };
  });

  app.get('/api/v2/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id', {
    config: { access: 'public' },
    schema: { tags: ['TaskInstance'], summary: 'A task instance', params: tiParams, response: { 200: taskInstanceSchema } },
  }, async (request) => {
    const p = request.params as { dag_id: string; dag_run_id: string; task_id: string };
    const { run, tis } = await runAndTaskInstances(deps.engine, p.dag_id, p.dag_run_id);
    const ti = tis.find((t) => t.taskId === p.task_id);
    if (ti === undefined) throw tiNotFound(p);
    const lastTry = (await listTaskTries(deps.engine, p.dag_id, p.dag_run_id, p.task_id)).at(-1);
    return taskInstanceOf(ti, run, run.dag, await dagVersionNumbers(deps.engine, p.dag_id), lastTry?.hostname ?? null);
  });

  app.patch('/api/v2/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id', {
    config: { access: 'operator' },
    schema: {
      tags: ['TaskInstance'], summary: 'Mark a task instance (and optionally its downstream) success or failed', params: tiParams,
      querystring: { type: 'object', properties: { map_index: { type: 'integer' }, update_mask: { type: 'array', items: str } } },
      body: {
        type: 'object',
        properties: {
          new_state: { type: 'string', enum: ['success', 'failed'] }, note: nullableStr, include_upstream: bool, include_downstream: bool,
          include_future: bool, include_past: bool,
        },
        required: ['new_state'],
      },
      response: { 200: tiCollection },
    },
  }, async (request) => {
    const p = request.params as { dag_id: string; dag_run_id: string; task_id: string };
    const body = request.body as { new_state: 'success' | 'failed'; include_downstream?: boolean } & Record<string, unknown>;
    notSupported(body, ['include_upstream', 'include_future', 'include_past']);
    const now = deps.clock.now();
    const marked = await deps.engine.transaction(async (tx) => {
      // Under the DAG's row lock, as a clear: no scheduler pass decides this run meanwhile.
      await lockDagForChange(tx, p.dag_id);
      const { run, tis } = await runAndTaskInstances(tx, p.dag_id, p.dag_run_id);
      if (!tis.some((t) => t.taskId === p.task_id)) throw tiNotFound(p);
      const ids = body.include_downstream ? withDownstream(run.dag.tasks, [p.task_id]) : [p.task_id];
      const others = (s: TaskState) => s !== body.new_state;
      let changed = 0;
      for (const ti of tis.filter((t) => ids.includes(t.taskId) && others(t.state))) {
        // A running one's worker loses its claim (its late report changes nothing: setTaskState's guard).
        if (await setTaskState(tx, ti, { state: body.new_state, expected: [ti.state], now })) changed += 1;
      }
      // A run that had ended is decided again by the scheduler (as after a clear), so its state follows.
      if (changed > 0) await setDagRunState(tx, run.dagId, run.runId, 'queued', ['success', 'failed'], now);
      const after = await listTaskInstances(tx, p.dag_id, p.dag_run_id);
      return { run, tis: after.filter((t) => ids.includes(t.taskId)) };
    });
    const numbers = await dagVersionNumbers(deps.engine, p.dag_id);
    return { task_instances: marked.tis.map((t) => taskInstanceOf(t, marked.run, marked.run.dag, numbers)), total_entries: marked.tis.length };
  });

  app.post('/api/v2/dags/:dag_id/clearTaskInstances', {
    config: { access: 'operator' },
    schema: {
      tags: ['TaskInstance'], summary: "Clear task instances of one run (dry_run, the default, only lists them)", params: object({ dag_id: str }),
      body: {
        type: 'object',
        properties: {
          dag_run_id: str, task_ids: { type: 'array', items: { anyOf: [str, { type: 'array', items: [str, { type: 'integer' }], minItems: 2, maxItems: 2 }] } },
          dry_run: { type: 'boolean', default: true }, only_failed: { type: 'boolean', default: true }, only_running: bool,
          include_downstream: bool, include_upstream: bool, include_future: bool, include_past: bool, reset_dag_runs: { type: 'boolean', default: true },
          note: nullableStr,
        },
        required: ['dag_run_id'],
      },
      response: { 200: tiCollection },
    },
  }, async (request) => {
    const { dag_id } = request.params as { dag_id: string };
    const body = request.body as { dag_run_id: string; task_ids?: (string | [string, number])[]; dry_run: boolean; only_failed: boolean; include_downstream?: boolean } & Record<string, unknown>;
    notSupported(body, ['only_running', 'include_upstream', 'include_future', 'include_past']);
    if (body.reset_dag_runs === false) throw new ApiProblem(400, 'reset_dag_runs false is not supported: an ended run is always queued again (docs/api.md)');
    const { run } = await runAndTaskInstances(deps.engine, dag_id, body.dag_run_id);
    const cleared = await maybeDryRun(deps.engine, body.dry_run, async (tx) => {
      const before = await listTaskInstances(tx, dag_id, body.dag_run_id);
      const asked = body.task_ids?.map((t) => (typeof t === 'string' ? t : t[0]));
      const ids = (asked ?? before.map((t) => t.taskId)).filter((id) => !body.only_failed || ['failed', 'upstream_failed'].includes(before.find((t) => t.taskId === id)?.state ?? ''));
      const result = ids.length === 0 ? { cleared: [] as string[] } : await clearTasks(tx, { dagId: dag_id, runId: body.dag_run_id, taskIds: ids, downstream: Boolean(body.include_downstream), now: deps.clock.now() });
      return before.filter((t) => result.cleared.includes(t.taskId));
    });
    const numbers = await dagVersionNumbers(deps.engine, dag_id);
    return { task_instances: cleared.map((t) => taskInstanceOf(t, run, run.dag, numbers)), total_entries: cleared.length };
  });
}
