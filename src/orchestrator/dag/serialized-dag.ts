/**
 * A DAG as the scheduler sees it: plain JSON made from the DAG file by the DAG processor (in a process of its own),
 * stored in the metadata database with a version hash. The scheduler and the API work only from this; they never
 * import a DAG file or an operator. Byte-stable: keys in a fixed order, no clock or random value inside.
 */

/** When runs are due. `none`: manual triggers only. */
export type Schedule =
  | { kind: 'none' }
  | { kind: 'once' }
  | { kind: 'cron'; expression: string }
  | { kind: 'interval'; everyMs: number };

/**
 * Airflow's schedule presets as the cron expressions they stand for (airflow.utils.dates.cron_presets): a serialised
 * schedule holds the expression, so two spellings of one schedule hash alike.
 */
export const cronPresets = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@quarterly': '0 0 1 */3 *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
} as const;

/** Airflow's trigger rules: when a task may run, from its direct upstream tasks' states. */
export type TriggerRule =
  | 'all_success'
  | 'all_failed'
  | 'all_done'
  | 'one_success'
  | 'one_failed'
  | 'none_failed'
  | 'none_skipped'
  | 'always';

export const triggerRules: readonly TriggerRule[] = ['all_success', 'all_failed', 'all_done', 'one_success', 'one_failed', 'none_failed', 'none_skipped', 'always'];

/** A dataset a task reads or writes, for lineage: a table of an engine, or an object prefix of a store. */
export interface DatasetRef {
  kind: 'table' | 'objects';
  /** e.g. `warehouse.songplays`, `s3://udacity-dend/log_data/2018/11/` */
  name: string;
}

export interface SerializedTask {
  /** Unique in the DAG; a task group's tasks are `group.task`. */
  id: string;
  /** The operator's class name, e.g. `StageToWarehouse`, `PythonLikeTask`, `Sql`. */
  operator: string;
  /** Ids of the direct upstream tasks, sorted. */
  upstream: string[];
  triggerRule: TriggerRule;
  owner: string;
  retries: number;
  retryDelayMs: number;
  retryExponentialBackoff: boolean;
  maxRetryDelayMs: number | null;
  executionTimeoutMs: number | null;
  dependsOnPast: boolean;
  pool: string;
  priorityWeight: number;
  /** The task group it belongs to, if any (`a.b` for nested groups). */
  group: string | null;
  /** The operator's own settings, JSON only; templated fields are kept as their template text. */
  params: Record<string, unknown>;
  /** Which of `params`' keys are rendered with the run's context before the task runs. */
  templateFields: string[];
  inlets: DatasetRef[];
  outlets: DatasetRef[];
  /**
   * Who is emailed of a failed or retried try; absent when no one is (so DAGs without alerts keep the versions they
   * had before alerts existed).
   */
  email?: TaskEmail;
  /** Absent when the task has none. */
  deadline?: SerializedDeadline;
}

/** A deadline as the scheduler checks it: `reference + intervalMs`; who is told (emails, whether a callback exists). */
export interface SerializedDeadline {
  reference: 'dataIntervalEnd' | 'queuedAt' | 'logicalDate';
  intervalMs: number;
  email: string[];
  callback: boolean;
}

export interface TaskEmail {
  to: string[];
  onFailure: boolean;
  onRetry: boolean;
}

export interface SerializedDag {
  id: string;
  /** The DAG file, relative to the DAG folder. */
  file: string;
  description: string | null;
  schedule: Schedule;
  /** IANA time zone of the schedule and of `start`/`end` given without an offset, e.g. `UTC`, `Europe/Berlin`. */
  timezone: string;
  /** ISO 8601 instants (UTC, `Z`). */
  start: string;
  end: string | null;
  catchup: boolean;
  maxActiveRuns: number;
  maxActiveTasks: number;
  tags: string[];
  /** Default params of a run, overridable by a trigger's conf. */
  params: Record<string, unknown>;
  /** Tasks sorted by id. */
  tasks: SerializedTask[];
  /** The DAG run's deadline; absent when it has none. */
  deadline?: SerializedDeadline;
  /** Which DAG-run callbacks the DAG file defines (the scheduler queues a request only for those); absent: none. */
  callbacks?: { onSuccess: boolean; onFailure: boolean };
}

/** A serialised DAG with its version: the SHA-256 of its canonical JSON. */
export interface DagVersion {
  dag: SerializedDag;
  /** Canonical JSON text (what the hash is of). */
  json: string;
  hash: string;
}
