import type { FastifyInstance } from 'fastify';
import { dagVersionNumbers } from '../../../orchestrator/metadb/api-pages.ts';
import { listTaskTries, type TaskTryRow } from '../../../orchestrator/metadb/task-instance-moves.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { collection, int, iso, nullableDateTime, nullableInt, nullableStr, object, str } from '../../json-schema.ts';
import { ApiProblem } from '../../problem.ts';
import { dagVersionSchema, taskInstanceOf } from './shapes.ts';
import { runAndTaskInstances, tiNotFound } from './task-instances.ts';

const trySchema = object({
  task_id: str, dag_id: str, dag_run_id: str, map_index: int, start_date: nullableDateTime, end_date: nullableDateTime,
  duration: { type: ['number', 'null'] }, state: nullableStr, try_number: int, max_tries: int, task_display_name: str,
  dag_display_name: str, hostname: nullableStr, unixname: nullableStr, pool: str, pool_slots: int, queue: nullableStr,
  priority_weight: nullableInt, operator: nullableStr, operator_name: nullableStr, queued_when: nullableDateTime,
  scheduled_when: nullableDateTime, pid: nullableInt, executor: nullableStr, executor_config: str,
  dag_version: { anyOf: [dagVersionSchema, { type: 'null' }] },
}, ['task_id', 'dag_id', 'dag_run_id', 'map_index', 'try_number', 'max_tries', 'task_display_name', 'dag_display_name', 'pool', 'pool_slots', 'executor_config']);

const tiParams = object({ dag_id: str, dag_run_id: str, task_id: str });

/** Every try of a task instance (Airflow's task instance history), each with its own outcome, times and host. */
export async function registerTaskTries(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const tries = async (p: { dag_id: string; dag_run_id: string; task_id: string }) => {
    const { run, tis } = await runAndTaskInstances(deps.engine, p.dag_id, p.dag_run_id);
    const ti = tis.find((t) => t.taskId === p.task_id);
    if (ti === undefined) throw tiNotFound(p);
    const numbers = await dagVersionNumbers(deps.engine, p.dag_id);
    const base = taskInstanceOf(ti, run, run.dag, numbers);
    const of = (t: TaskTryRow) => ({
      ...base, start_date: iso(t.startDate), end_date: iso(t.endDate), state: t.state, try_number: t.tryNumber, hostname: t.hostname,
      duration: t.endDate === null ? null : (t.endDate.getTime() - t.startDate.getTime()) / 1000,
    });
    return (await listTaskTries(deps.engine, p.dag_id, p.dag_run_id, p.task_id)).map(of);
  };

  app.get('/api/v2/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id/tries', {
    config: { access: 'public' },
    schema: { tags: ['TaskInstance'], summary: "A task instance's tries", params: tiParams, response: { 200: collection('task_instances', trySchema) } },
  }, async (request) => {
    const all = await tries(request.params as { dag_id: string; dag_run_id: string; task_id: string });
    return { task_instances: all, total_entries: all.length };
  });

  app.get('/api/v2/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id/tries/:task_try_number', {
    config: { access: 'public' },
    schema: { tags: ['TaskInstance'], summary: 'One try of a task instance', params: object({ dag_id: str, dag_run_id: str, task_id: str, task_try_number: { type: 'integer', minimum: 1 } }), response: { 200: trySchema } },
  }, async (request) => {
    const p = request.params as { dag_id: string; dag_run_id: string; task_id: string; task_try_number: number };
    const found = (await tries(p)).find((t) => t.try_number === p.task_try_number);
    if (found === undefined) throw new ApiProblem(404, `The Task Instance with dag_id: \`${p.dag_id}\`, run_id: \`${p.dag_run_id}\`, task_id: \`${p.task_id}\` and try_number: \`${p.task_try_number}\` was not found`);
    return found;
  });
}
