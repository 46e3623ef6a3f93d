import type { FastifyInstance } from 'fastify';
import { getDag } from '../../../orchestrator/metadb/dags.ts';
import { listDeadlineMisses } from '../../../orchestrator/metadb/deadlines.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { bool, collection, dateTime, iso, nullableDateTime, nullableStr, object, str } from '../../json-schema.ts';
import { page, type PageParams, pageQuery } from '../../pagination.ts';
import { dagNotFound } from './dags.ts';

const deadlineSchema = object({
  dag_id: str, dag_run_id: str, task_id: nullableStr, reference: str, deadline_time: dateTime, missed: bool, missed_at: dateTime,
  alert_state: str, alerted_at: nullableDateTime, alert_error: nullableStr, dag_run_state: str,
});

/** At most this many misses are read for one listing (newest first); total_entries counts within it. */
const readCap = 10_000;

/**
 * Missed deadlines (issue 17 §3; Airflow 3.1's deadline alerts, which its stable API does not list): each miss as the
 * scheduler recorded it once, with its alert's state. A user is needed: an alert's error may name the mail server.
 */
export async function registerDeadlines(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/api/v2/dags/:dag_id/deadlines', {
    config: { access: 'user' },
    schema: {
      tags: ['Deadline'], summary: "A DAG's missed deadlines, newest first (dag_id ~: every DAG's)", params: object({ dag_id: str }),
      querystring: { type: 'object', properties: { ...pageQuery, dag_run_id: str } },
      response: { 200: collection('deadlines', deadlineSchema) },
    },
  }, async (request) => {
    const { dag_id } = request.params as { dag_id: string };
    const q = request.query as PageParams & { dag_run_id?: string };
    if (dag_id !== '~' && (await getDag(deps.engine, dag_id)) === undefined) throw dagNotFound(dag_id);
    const all = await listDeadlineMisses(deps.engine, { ...(dag_id === '~' ? {} : { dagId: dag_id }), ...(q.dag_run_id ? { runId: q.dag_run_id } : {}), limit: readCap });
    return {
      deadlines: page(all, q).map((m) => ({
        dag_id: m.dagId, dag_run_id: m.runId, task_id: m.taskId, reference: m.reference, deadline_time: iso(m.deadline), missed: true,
        missed_at: iso(m.missedAt), alert_state: m.alertState, alerted_at: iso(m.alertedAt), alert_error: m.alertError, dag_run_state: m.runState,
      })),
      total_entries: all.length,
    };
  });
}
