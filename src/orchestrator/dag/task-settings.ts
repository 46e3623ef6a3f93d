import { dagInvalid } from './dag-invalid.ts';
import { durationMs, type Duration } from './duration.ts';
import { triggerRules, type DatasetRef, type TriggerRule } from './serialized-dag.ts';
import type { DeadlineOptions } from './deadline.ts';
import type { TaskContext } from './task-context.ts';

/**
 * A task callback (Airflow's on_failure_callback, …): run in the task's own process, where user code runs, after its
 * `execute` ended, with the try's context and, for failure and retry, the error. What it throws is logged in the try's
 * log and changes nothing of the try's outcome (as Airflow).
 */
export type TaskCallback = (context: TaskContext<any>, error?: Error) => void | Promise<void>;

/** A task's callbacks; functions, so they stay in the DAG file's process and are not serialised. */
export interface TaskCallbacks {
  onFailure: TaskCallback | null;
  onRetry: TaskCallback | null;
  onSuccess: TaskCallback | null;
}

/** A DAG's defaults for its tasks (Airflow's `default_args`); a task's own options override them. */
export interface DefaultArgs {
  owner?: string;
  retries?: number;
  retryDelay?: Duration;
  retryExponentialBackoff?: boolean;
  maxRetryDelay?: Duration | null;
  executionTimeout?: Duration | null;
  dependsOnPast?: boolean;
  pool?: string;
  priorityWeight?: number;
  onFailureCallback?: TaskCallback | null;
  onRetryCallback?: TaskCallback | null;
  onSuccessCallback?: TaskCallback | null;
  /** Addresses told of a failed or retried try (with emailOnFailure / emailOnRetry, both true by default, as Airflow's). */
  email?: string | string[];
  emailOnFailure?: boolean;
  emailOnRetry?: boolean;
}

/** What any task accepts beside its operator's own settings. */
export interface TaskOptions extends DefaultArgs {
  triggerRule?: TriggerRule;
  /** Not finished by its run's queued time or data interval end + interval: recorded and alerted once. */
  deadline?: DeadlineOptions;
  /** Datasets the task reads and writes, for lineage. */
  inlets?: DatasetRef[];
  outlets?: DatasetRef[];
}

export const taskOptionKeys = [
  'owner', 'retries', 'retryDelay', 'retryExponentialBackoff', 'maxRetryDelay', 'executionTimeout', 'dependsOnPast', 'pool',
  'priorityWeight', 'triggerRule', 'inlets', 'outlets', 'onFailureCallback', 'onRetryCallback', 'onSuccessCallback', 'email', 'emailOnFailure', 'emailOnRetry', 'deadline',
] as const satisfies readonly (keyof TaskOptions)[];

/** A task's settings once defaults are applied and durations are milliseconds: what the serialised task holds. */
export interface TaskSettings {
  owner: string;
  retries: number;
  retryDelayMs: number;
  retryExponentialBackoff: boolean;
  maxRetryDelayMs: number | null;
  executionTimeoutMs: number | null;
  dependsOnPast: boolean;
  pool: string;
  priorityWeight: number;
  triggerRule: TriggerRule;
  email: string[];
  emailOnFailure: boolean;
  emailOnRetry: boolean;
  /** Not serialised: the task's process finds them on the loaded operator. */
  callbacks: TaskCallbacks;
}

/** Airflow's defaults: no retries, 5 minutes between tries, the default pool. */
export const baseSettings: TaskSettings = {
  owner: 'airflow',
  retries: 0,
  retryDelayMs: 300_000,
  retryExponentialBackoff: false,
  maxRetryDelayMs: null,
  executionTimeoutMs: null,
  dependsOnPast: false,
  pool: 'default_pool',
  priorityWeight: 1,
  triggerRule: 'all_success',
  email: [],
  emailOnFailure: true,
  emailOnRetry: true,
  callbacks: { onFailure: null, onRetry: null, onSuccess: null },
};

const emailPattern = /^[^\s@<>,;]+@[^\s@<>,;]+$/;

/**
 * `options` over `base`, checked once: a DAG file may be untyped JavaScript, so a wrong type or an unknown trigger rule
 * is an error naming `where` (e.g. `task 'load'`) rather than a surprise in the scheduler.
 */
export function compileTaskSettings(base: TaskSettings, options: TaskOptions, where: string): TaskSettings {
  const s = { ...base };
  const o = options as Record<string, unknown>;
  const bad = (field: string, want: string) => dagInvalid(`${where}: ${field} must be ${want}, not ${JSON.stringify(o[field]) ?? String(o[field])}`, { field });
  if (o.owner !== undefined) {
    if (typeof o.owner !== 'string' || o.owner === '') throw bad('owner', 'a non-empty string');
    s.owner = o.owner;
  }
  if (o.retries !== undefined) {
    if (!Number.isSafeInteger(o.retries) || (o.retries as number) < 0) throw bad('retries', 'a whole number >= 0');
    s.retries = o.retries as number;
  }
  if (o.retryDelay !== undefined) s.retryDelayMs = durationMs(o.retryDelay, `${where}: retryDelay`);
  if (o.retryExponentialBackoff !== undefined) {
    if (typeof o.retryExponentialBackoff !== 'boolean') throw bad('retryExponentialBackoff', 'true or false');
    s.retryExponentialBackoff = o.retryExponentialBackoff;
  }
  if (o.maxRetryDelay !== undefined) s.maxRetryDelayMs = o.maxRetryDelay === null ? null : durationMs(o.maxRetryDelay, `${where}: maxRetryDelay`);
  if (o.executionTimeout !== undefined) {
    s.executionTimeoutMs = o.executionTimeout === null ? null : durationMs(o.executionTimeout, `${where}: executionTimeout`);
    if (s.executionTimeoutMs === 0) throw bad('executionTimeout', 'more than 0 (or null: no limit)');
  }
  if (o.dependsOnPast !== undefined) {
    if (typeof o.dependsOnPast !== 'boolean') throw bad('dependsOnPast', 'true or false');
    s.dependsOnPast = o.dependsOnPast;
  }
  if (o.pool !== undefined) {
    if (typeof o.pool !== 'string' || o.pool === '') throw bad('pool', 'a non-empty string');
    s.pool = o.pool;
  }
  if (o.priorityWeight !== undefined) {
    if (!Number.isSafeInteger(o.priorityWeight)) throw bad('priorityWeight', 'a whole number');
    s.priorityWeight = o.priorityWeight as number;
  }
  for (const [field, key] of [['onFailureCallback', 'onFailure'], ['onRetryCallback', 'onRetry'], ['onSuccessCallback', 'onSuccess']] as const) {
    if (o[field] === undefined) continue;
    if (o[field] !== null && typeof o[field] !== 'function') throw bad(field, 'a function (or null)');
    s.callbacks = { ...s.callbacks, [key]: o[field] as TaskCallback | null };
  }
  if (o.email !== undefined) {
    const list = typeof o.email === 'string' ? [o.email] : o.email;
    if (!Array.isArray(list) || !list.every((a) => typeof a === 'string' && emailPattern.test(a))) throw bad('email', 'an address or a list of addresses');
    s.email = [...new Set(list as string[])];
  }
  for (const field of ['emailOnFailure', 'emailOnRetry'] as const) {
    if (o[field] === undefined) continue;
    if (typeof o[field] !== 'boolean') throw bad(field, 'true or false');
    s[field] = o[field] as boolean;
  }
  if (o.triggerRule !== undefined) {
    if (!triggerRules.includes(o.triggerRule as TriggerRule)) {
      throw dagInvalid(`${where}: unknown trigger rule ${JSON.stringify(o.triggerRule)} (one of ${triggerRules.join(', ')})`, { field: 'triggerRule' });
    }
    s.triggerRule = o.triggerRule as TriggerRule;
  }
  return s;
}

/** Checks lineage references from untyped code: `{ kind: 'table' | 'objects', name }`. */
export function datasetRefs(value: unknown, field: string, where: string): DatasetRef[] {
  if (value === undefined) return [];
  const ok = (r: unknown): r is DatasetRef =>
    typeof r === 'object' && r !== null && ((r as DatasetRef).kind === 'table' || (r as DatasetRef).kind === 'objects') &&
    typeof (r as DatasetRef).name === 'string' && (r as DatasetRef).name !== '';
  if (!Array.isArray(value) || !value.every(ok)) throw dagInvalid(`${where}: ${field} must be a list of { kind: 'table' | 'objects', name }`, { field });
  return value.map((r) => ({ kind: r.kind, name: r.name }));
}
