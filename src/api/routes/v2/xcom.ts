import type { FastifyInstance } from 'fastify';
import { listResults } from '../../../orchestrator/metadb/api-pages.ts';
import { getResult } from '../../../orchestrator/metadb/task-results.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { bool, collection, dateTime, int, iso, nullableDateTime, object, str } from '../../json-schema.ts';
import { page, type PageParams, pageQuery } from '../../pagination.ts';
import { ApiProblem } from '../../problem.ts';
import { runAndTaskInstances, tiNotFound } from './task-instances.ts';

const xcomSchema = object({
  key: str, timestamp: dateTime, logical_date: nullableDateTime, run_after: dateTime, map_index: int, task_id: str, dag_id: str,
  run_id: str, dag_display_name: str, task_display_name: str,
});
const tiParams = object({ dag_id: str, dag_run_id: str, task_id: str });

/** Our task results, as Airflow's XCom entries (JSON values; map_index always -1). */
export async function registerXcom(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const entry = (p: { dag_id: string; dag_run_id: string; task_id: string }, logicalDate: Date, key: string, at: Date) => ({
    key, timestamp: iso(at), logical_date: iso(logicalDate), run_after: iso(logicalDate), map_index: -1, task_id: p.task_id, dag_id: p.dag_id,
    run_id: p.dag_run_id, dag_display_name: p.dag_id, task_display_name: p.task_id,
  });
  const instance = async (p: { dag_id: string; dag_run_id: string; task_id: string }) => {
    const { run, tis } = await runAndTaskInstances(deps.engine, p.dag_id, p.dag_run_id);
    if (!tis.some((t) => t.taskId === p.task_id)) throw tiNotFound(p);
    return run;
  };

  app.get('/api/v2/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id/xcomEntries', {
    config: { access: 'public' },
    schema: { tags: ['XCom'], summary: "A task instance's results", params: tiParams, querystring: { type: 'object', properties: { ...pageQuery } }, response: { 200: collection('xcom_entries', xcomSchema) } },
  }, async (request) => {
    const p = request.params as { dag_id: string; dag_run_id: string; task_id: string };
    const run = await instance(p);
    const all = await listResults(deps.engine, p.dag_id, p.dag_run_id, p.task_id);
    return { xcom_entries: page(all, request.query as PageParams).map((r) => entry(p, run.logicalDate, r.key, r.createdAt)), total_entries: all.length };
  });

  app.get('/api/v2/dags/:dag_id/dagRuns/:dag_run_id/taskInstances/:task_id/xcomEntries/:xcom_key', {
    config: { access: 'public' },
    schema: {
      tags: ['XCom'], summary: 'One result, its value as JSON', params: object({ dag_id: str, dag_run_id: str, task_id: str, xcom_key: str }),
      querystring: { type: 'object', properties: { map_index: int, deserialize: bool, stringify: bool } },
      response: { 200: { ...xcomSchema, properties: { ...(xcomSchema.properties as object), value: {} } } },
    },
  }, async (request) => {
    const p = request.params as { dag_id: string; dag_run_id: string; task_id: string; xcom_key: string };
    const { stringify } = request.query as { stringify?: boolean };
    const run = await instance(p);
    const found = await getResult(deps.engine, { dagId: p.dag_id, runId: p.dag_run_id, taskId: p.task_id }, p.xcom_key);
    if (!found.found) throw new ApiProblem(404, `XCom entry with key: \`${p.xcom_key}\` not found`);
    const stored = (await listResults(deps.engine, p.dag_id, p.dag_run_id, p.task_id)).find((r) => r.key === p.xcom_key);
    return { ...entry(p, run.logicalDate, p.xcom_key, stored?.createdAt ?? run.logicalDate), value: stringify ? JSON.stringify(found.value) : found.value };
  });
}
