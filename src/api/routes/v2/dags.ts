import type { FastifyInstance } from 'fastify';
import type { Schedule } from '../../../orchestrator/dag/serialized-dag.ts';
import { type DagRow, getDag, listDags, setDagPaused } from '../../../orchestrator/metadb/dags.ts';
import { listImportErrors } from '../../../orchestrator/metadb/import-errors.ts';
import type { ApiDeps } from '../../api-deps.ts';
import { bool, collection, int, iso, nullableDateTime, nullableInt, nullableStr, object, str } from '../../json-schema.ts';
import { page, type PageParams, pageQuery } from '../../pagination.ts';
import { ApiProblem } from '../../problem.ts';

export const dagSchema = object({
  dag_id: str, dag_display_name: str, is_paused: bool, is_stale: bool, last_parsed_time: nullableDateTime, last_expired: nullableDateTime,
  bundle_name: nullableStr, bundle_version: nullableStr, relative_fileloc: nullableStr, fileloc: str, description: nullableStr,
  timetable_summary: nullableStr, timetable_description: nullableStr, timetable_partitioned: bool, timetable_periodic: bool,
  tags: { type: 'array', items: object({ name: str, dag_id: str, dag_display_name: str }) }, max_active_tasks: int,
  max_active_runs: nullableInt, max_consecutive_failed_dag_runs: int, has_task_concurrency_limits: bool, has_import_errors: bool,
  next_dagrun_logical_date: nullableDateTime, next_dagrun_data_interval_start: nullableDateTime, next_dagrun_data_interval_end: nullableDateTime,
  next_dagrun_run_after: nullableDateTime, owners: { type: 'array', items: str }, file_token: str, is_backfillable: bool,
});

export const dagNotFound = (dagId: string) => new ApiProblem(404, `The Dag with ID: \`${dagId}\` was not found`);

function scheduleSummary(s: Schedule | undefined): string | null {
  if (s === undefined) return null;
  if (s.kind === 'cron') return s.expression;
  if (s.kind === 'interval') return `every ${s.everyMs / 1000}s`;
  return s.kind === 'once' ? '@once' : null;
}

/** A DAG as Airflow's DAGResponse: its settings from the latest serialised version. */
export function dagOf(d: DagRow, importErrorFiles: ReadonlySet<string>) {
  const s = d.serialized;
  const summary = scheduleSummary(s?.schedule);
  return {
    dag_id: d.dagId, dag_display_name: d.dagId, is_paused: d.isPaused, is_stale: !d.isActive, last_parsed_time: iso(d.lastParsedAt),
    last_expired: null, bundle_name: 'dags-folder', bundle_version: null, relative_fileloc: d.file, fileloc: d.file,
    description: s?.description ?? null, timetable_summary: summary, timetable_description: summary === null ? 'Never, external triggers only' : `${summary} in ${s?.timezone}`,
    timetable_partitioned: false, timetable_periodic: s?.schedule.kind === 'cron' || s?.schedule.kind === 'interval',
    tags: (s?.tags ?? []).map((name) => ({ name, dag_id: d.dagId, dag_display_name: d.dagId })),
    max_active_tasks: s?.maxActiveTasks ?? 16, max_active_runs: s?.maxActiveRuns ?? null, max_consecutive_failed_dag_runs: 0,
    has_task_concurrency_limits: false, has_import_errors: importErrorFiles.has(d.file),
    next_dagrun_logical_date: iso(d.nextLogicalDate), next_dagrun_data_interval_start: iso(d.nextDataIntervalStart),
    next_dagrun_data_interval_end: iso(d.nextDataIntervalEnd), next_dagrun_run_after: iso(d.nextDataIntervalEnd),
    owners: [...new Set((s?.tasks ?? []).map((t) => t.owner))].sort(), file_token: Buffer.from(d.file).toString('base64url'),
    is_backfillable: s?.schedule.kind === 'cron' || s?.schedule.kind === 'interval',
  };
}

async function importErrorFiles(deps: ApiDeps): Promise<Set<string>> {
  return new Set((await listImportErrors(deps.engine)).map((e) => e.file));
}

const dagIdParams = object({ dag_id: { type: 'string', minLength: 1 } });

export async function registerDags(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/api/v2/dags', {
    config: { access: 'public' },
    schema: {
      tags: ['DAG'], summary: 'List DAGs',
      querystring: {
        type: 'object',
        properties: { ...pageQuery, paused: bool, dag_id_pattern: str, exclude_stale: { type: 'boolean', default: true }, tags: { type: 'array', items: str } },
      },
      response: { 200: collection('dags', dagSchema) },
    },
  }, async (request) => {
    const q = request.query as PageParams & { paused?: boolean; dag_id_pattern?: string; exclude_stale: boolean; tags?: string[] };
    const pattern = q.dag_id_pattern?.toLowerCase();
    const all = (await listDags(deps.engine)).filter((d) => d.serialized !== null
      && (q.paused === undefined || d.isPaused === q.paused) && (!q.exclude_stale || d.isActive)
      && (pattern === undefined || d.dagId.toLowerCase().includes(pattern))
      && (q.tags === undefined || q.tags.some((t) => d.serialized?.tags.includes(t))));
    const errors = await importErrorFiles(deps);
    return { dags: page(all, q).map((d) => dagOf(d, errors)), total_entries: all.length };
  });

  app.get('/api/v2/dags/:dag_id', {
    config: { access: 'public' },
    schema: { tags: ['DAG'], summary: 'Get a DAG', params: dagIdParams, response: { 200: dagSchema } },
  }, async (request) => {
    const { dag_id } = request.params as { dag_id: string };
    const dag = await getDag(deps.engine, dag_id);
    if (dag?.serialized == null) throw dagNotFound(dag_id);
    return dagOf(dag, await importErrorFiles(deps));
  });

  app.patch('/api/v2/dags/:dag_id', {
    config: { access: 'operator' },
    schema: {
      tags: ['DAG'], summary: 'Pause or unpause a DAG', params: dagIdParams,
      querystring: { type: 'object', properties: { update_mask: { type: 'array', items: str } } },
      body: { type: 'object', properties: { is_paused: bool }, required: ['is_paused'] },
      response: { 200: dagSchema },
    },
  }, async (request) => {
    const { dag_id } = request.params as { dag_id: string };
    const { update_mask } = request.query as { update_mask?: string[] };
    if (update_mask !== undefined && update_mask.some((f) => f !== 'is_paused')) throw new ApiProblem(400, 'only is_paused can be updated');
    const { is_paused } = request.body as { is_paused: boolean };
    const dag = await getDag(deps.engine, dag_id);
    if (dag?.serialized == null || !(await setDagPaused(deps.engine, dag_id, is_paused))) throw dagNotFound(dag_id);
    return dagOf({ ...dag, isPaused: is_paused }, await importErrorFiles(deps));
  });
}
