import { createHash } from 'node:crypto';
import type { SerializedTask } from '../dag/serialized-dag.ts';
import type { TaskState } from '../states.ts';

/** Airflow's MAX_RETRY_DELAY: no backoff grows past a day, whatever the task asks. */
export const maxRetryDelayMs = 24 * 60 * 60 * 1000;

export type RetryTask = Pick<SerializedTask, 'retryDelayMs' | 'retryExponentialBackoff' | 'maxRetryDelayMs'>;

/** The task instance whose try failed: its key seeds the backoff's jitter. */
export interface FailedTry {
  dagId: string;
  taskId: string;
  logicalDate: Date;
  /** The try that failed, from 1. */
  tryNumber: number;
  failedAt: Date;
}

/**
 * Whether a failed try is tried again: `tryNumber < maxTries` (max_tries = retries + 1 in the schema); `up_for_retry`
 * if so, `failed` if not.
 */
export function isRetried(tryNumber: number, maxTries: number): boolean {
  return tryNumber < maxTries;
}

/**
 * When the next try may start (next_try_at), as Airflow's TaskInstance.next_retry_datetime: `retryDelay` after the
 * failure; with exponential backoff, in whole seconds, base = ceil(delay · 2^(try−1)) (at least 1 s) and the delay is
 * base + (SHA-1 of "dag#task#logical date#try" mod base), so between base and 2·base: retries of many task instances
 * that failed together (a database restart) spread out instead of hitting it again at one instant, yet the same try
 * always gets the same delay (no random seed to inject, tests can assert it). Capped at a day, then at the task's
 * maxRetryDelay.
 */
export function nextTryAt(task: RetryTask, failed: FailedTry): Date {
  let delayMs = task.retryDelayMs;
  if (task.retryExponentialBackoff) {
    const base = Math.max(1, Math.ceil((task.retryDelayMs / 1000) * 2 ** (failed.tryNumber - 1)));
    const key = `${failed.dagId}#${failed.taskId}#${pythonStr(failed.logicalDate)}#${failed.tryNumber}`;
    // A base past 2^53 s is far past the cap anyway; BigInt keeps the modulo exact below it.
    const jitter = Number.isSafeInteger(base) ? Number(BigInt(`0x${createHash('sha1').update(key).digest('hex')}`) % BigInt(base)) : 0;
    delayMs = Math.min((base + jitter) * 1000, maxRetryDelayMs);
    if (task.maxRetryDelayMs !== null) delayMs = Math.min(delayMs, task.maxRetryDelayMs);
  }
  return new Date(failed.failedAt.getTime() + delayMs);
}

/** Retries and reschedules whose time has come (`next_try_at <= now`): they go back to `scheduled`. */
export function dueTries<T extends { state: TaskState; nextTryAt: Date | null }>(instances: readonly T[], now: Date): T[] {
  return instances.filter(
    (ti) => (ti.state === 'up_for_retry' || ti.state === 'up_for_reschedule') && (ti.nextTryAt === null || ti.nextTryAt <= now),
  );
}

/** Python's str() of an aware UTC datetime, as Airflow puts the logical date into the hash: `2018-11-01 00:00:00+00:00`. */
function pythonStr(t: Date): string {
  const iso = t.toISOString();
  const fraction = t.getTime() % 1000 === 0 ? '' : `.${iso.slice(20, 23)}000`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}+00:00`;
}
