import { createHash } from 'node:crypto';
import type { SerializedDag } from '../../../orchestrator/dag/serialized-dag.ts';
import type { DagRunRow } from '../../../orchestrator/metadb/dag-runs.ts';
import type { TaskInstanceRow } from '../../../orchestrator/metadb/task-instances.ts';
import { dateTime, int, iso, nullableDateTime, nullableInt, nullableStr, object, str } from '../../json-schema.ts';

/**
 * The JSON shapes of runs and task instances as Airflow 3's API gives them (our own schemas, written from its
 * documented fields), and the conversions from our rows. Where our model has no such thing (map indexes, queues,
 * executors, notes) the field is there with Airflow's value for "none" (docs/api.md).
 */

/** Airflow's ids of versions and task instances are UUIDs; ours are keys, so a UUID is derived from the key. */
export function uuidFrom(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  // Version 8 (RFC 9562: vendor-specific), variant 10.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const dagVersionSchema = object({
  id: str, version_number: int, dag_id: str, dag_display_name: str, bundle_name: nullableStr, bundle_version: nullableStr,
  bundle_url: nullableStr, created_at: dateTime,
});

export type VersionNumbers = Map<string, { number: number; createdAt: Date }>;

export function dagVersionOf(dagId: string, version: string, numbers: VersionNumbers) {
  const n = numbers.get(version);
  return {
    id: uuidFrom(dagId, version), version_number: n?.number ?? 0, dag_id: dagId, dag_display_name: dagId, bundle_name: 'dags-folder',
    bundle_version: null, bundle_url: null, created_at: iso(n?.createdAt ?? new Date(0)),
  };
}

export const dagRunSchema = object({
  dag_run_id: str, dag_id: str, dag_display_name: str, logical_date: nullableDateTime, queued_at: nullableDateTime,
  start_date: nullableDateTime, end_date: nullableDateTime, duration: { type: ['number', 'null'] },
  data_interval_start: nullableDateTime, data_interval_end: nullableDateTime, run_after: dateTime,
  last_scheduling_decision: nullableDateTime, run_type: str, state: str, triggered_by: nullableStr,
  triggering_user_name: nullableStr, conf: { type: 'object', additionalProperties: true }, note: nullableStr,
  dag_versions: { type: 'array', items: dagVersionSchema }, bundle_version: nullableStr,
});

const seconds = (start: Date | null, end: Date | null) => (start && end ? (end.getTime() - start.getTime()) / 1000 : null);

/** When a run may start: a scheduled run once its interval has ended, a manual one at its logical date. */
const runAfter = (run: DagRunRow) => (run.runType === 'manual' ? run.logicalDate : run.dataIntervalEnd);

export function dagRunOf(run: DagRunRow, numbers: VersionNumbers) {
  return {
    dag_run_id: run.runId, dag_id: run.dagId, dag_display_name: run.dagId, logical_date: iso(run.logicalDate),
    queued_at: iso(run.queuedAt), start_date: iso(run.startDate), end_date: iso(run.endDate), duration: seconds(run.startDate, run.endDate),
    data_interval_start: iso(run.dataIntervalStart), data_interval_end: iso(run.dataIntervalEnd), run_after: iso(runAfter(run)),
    last_scheduling_decision: null, run_type: run.runType, state: run.state, triggered_by: null, triggering_user_name: null,
    conf: run.conf, note: null, dag_versions: [dagVersionOf(run.dagId, run.version, numbers)], bundle_version: null,
  };
}

export const taskInstanceSchema = object({
  id: str, task_id: str, dag_id: str, dag_run_id: str, map_index: int, logical_date: nullableDateTime, run_after: dateTime,
  start_date: nullableDateTime, end_date: nullableDateTime, duration: { type: ['number', 'null'] }, state: nullableStr,
  try_number: int, max_tries: int, task_display_name: str, dag_display_name: str, hostname: nullableStr, unixname: nullableStr,
  pool: str, pool_slots: int, queue: nullableStr, priority_weight: nullableInt, operator: nullableStr, operator_name: nullableStr,
  queued_when: nullableDateTime, scheduled_when: nullableDateTime, pid: nullableInt, executor: nullableStr, executor_config: str,
  note: nullableStr, rendered_map_index: nullableStr, dag_version: { anyOf: [dagVersionSchema, { type: 'null' }] },
}, ['id', 'task_id', 'dag_id', 'dag_run_id', 'map_index', 'run_after', 'try_number', 'max_tries', 'task_display_name', 'dag_display_name', 'pool', 'pool_slots', 'executor_config']);

/**
 * A task instance as Airflow shows it: our `none` is Airflow's null state; `max_tries` is Airflow's (retries, not
 * counting the first try), ours minus one.
 */
export function taskInstanceOf(ti: TaskInstanceRow, run: DagRunRow, dag: SerializedDag | undefined, numbers: VersionNumbers, hostname: string | null = null) {
  const operator = dag?.tasks.find((t) => t.id === ti.taskId)?.operator ?? null;
  return {
    id: uuidFrom(ti.dagId, ti.runId, ti.taskId), task_id: ti.taskId, dag_id: ti.dagId, dag_run_id: ti.runId, map_index: -1,
    logical_date: iso(run.logicalDate), run_after: iso(runAfter(run)), start_date: iso(ti.startDate), end_date: iso(ti.endDate),
    duration: seconds(ti.startDate, ti.endDate), state: ti.state === 'none' ? null : ti.state, try_number: ti.tryNumber,
    max_tries: Math.max(0, ti.maxTries - 1), task_display_name: ti.taskId, dag_display_name: ti.dagId, hostname, unixname: null,
    pool: ti.pool, pool_slots: 1, queue: null, priority_weight: ti.priorityWeight, operator, operator_name: operator,
    queued_when: iso(ti.queuedAt), scheduled_when: null, pid: null, executor: null, executor_config: '{}', note: null,
    rendered_map_index: null, dag_version: dagVersionOf(run.dagId, run.version, numbers),
  };
}
