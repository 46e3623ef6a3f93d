import type { FastifyInstance } from 'fastify';
import { listTaskTries } from '../../../orchestrator/metadb/task-instance-moves.ts';
import { readLog } from '../../../orchestrator/metadb/task-logs.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { bool, int, nullableStr, object, str } from '../../json-schema.ts';
import { ApiProblem } from '../../problem.ts';

/**
 * A try's log (a user is needed: logs may say more than a DAG's page does). JSON as Airflow's structured log: one
 * message per line; `Accept: text/plain` gets the text as it was written.
 */
export async function registerTaskLogs(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/api/v2/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id/logs/:try_number', {
    config: { access: 'user' },
    schema: {
      tags: ['TaskInstance'], summary: "A try's log",
      params: object({ dag_id: str, dag_run_id: str, task_id: str, try_number: { type: 'integer', minimum: 0 } }),
      querystring: { type: 'object', properties: { full_content: bool, map_index: int, token: str } },
      response: {
        200: object({
          content: { type: 'array', items: object({ event: str, timestamp: nullableStr }, ['event']) },
          continuation_token: nullableStr,
        }),
      },
    },
  }, async (request, reply) => {
    const p = request.params as { dag_id: string; dag_run_id: string; task_id: string; try_number: number };
    const tries = await listTaskTries(deps.engine, p.dag_id, p.dag_run_id, p.task_id);
    if (!tries.some((t) => t.tryNumber === p.try_number)) {
      throw new ApiProblem(404, `${p.dag_id} ${p.dag_run_id} ${p.task_id} has no try ${p.try_number}`);
    }
    const text = (await readLog(deps.engine, { dagId: p.dag_id, runId: p.dag_run_id, taskId: p.task_id }, p.try_number)).map((c) => c.text).join('');
    if ((request.headers.accept ?? '').startsWith('text/plain')) return reply.type('text/plain; charset=utf-8').send(text);
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return { content: lines.map((event) => ({ event, timestamp: null })), continuation_token: null };
  });
}
