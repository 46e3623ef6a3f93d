/** A DAG run's states, as Airflow names them. */
export type DagRunState = 'queued' | 'running' | 'success' | 'failed';

/** How a run came to be. */
export type RunType = 'scheduled' | 'manual' | 'backfill';

/**
 * A task instance's states, as Airflow names them: `none` (not yet considered), `scheduled` (its trigger rule is met),
 * `queued` (handed to an executor), `running`, `success`, `failed`, `skipped`, `upstream_failed`, `up_for_retry`
 * (failed, a retry is due at `next_try_at`), `up_for_reschedule` (a sensor in reschedule mode), `removed`.
 */
export type TaskState =
  | 'none'
  | 'scheduled'
  | 'queued'
  | 'running'
  | 'success'
  | 'failed'
  | 'skipped'
  | 'upstream_failed'
  | 'up_for_retry'
  | 'up_for_reschedule'
  | 'removed';

export const finishedTaskStates: readonly TaskState[] = ['success', 'failed', 'skipped', 'upstream_failed', 'removed'];
