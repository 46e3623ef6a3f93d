import type { JsonObject, JsonValue } from './json-value.ts';

/**
 * What a task's `execute` is given by the task runner (built later, in the worker's process): the run's dates and ids,
 * the operator's settings with their templated fields rendered, the run's params, a log, and the results of other tasks
 * of the same run. The dates are instants; the run's data interval is what the task should process.
 */
export interface TaskContext<P = JsonObject> {
  dagId: string;
  taskId: string;
  runId: string;
  /** 1 on the first try. */
  tryNumber: number;
  logicalDate: Date;
  dataIntervalStart: Date;
  dataIntervalEnd: Date;
  /** The operator's settings, its templated fields rendered with the run's context. */
  params: P;
  /** The run's params: the DAG's `params` overridden by the trigger's conf. */
  runParams: JsonObject;
  /** Aborted when the try must stop (its execution timeout, or the run was stopped): pass it to anything long. */
  signal: AbortSignal;
  /** A line of the try's log, kept in the metadata database. */
  log(message: string): void;
  /** A result another task of this run stored (its `return_value` by default); null if it stored none. */
  resultOf(taskId: string, key?: string): Promise<JsonValue>;
  /**
   * Set when this try was rescheduled (the task threw a RescheduleRequest, operators/reschedule-request.ts): the
   * `firstPokeAt` it carried, so a sensor's timeout spans its reschedules (Airflow's first task_reschedule start).
   */
  rescheduledSince?: Date;
  /**
   * The time, by the clock the scheduler runs on (the worker's, handed to the task's process): what a task decides by
   * the time (a sensor's next poke, its timeout) should ask this rather than Date.now(), so a TestClock governs it.
   * Optional: a context built elsewhere (a test's) may leave it out, and the wall clock is used.
   */
  now?(): Date;
  /**
   * A connection of the metadata database, for a hook (SPK_E_NOT_FOUND if there is none). Its password and extras only
   * when the operator asks for `secrets`: a template or a log never sees them.
   */
  connection(connId: string, options?: { secrets?: boolean }): Promise<TaskConnection>;
}

/** A connection as a task gets it: Airflow's fields, the shape hooks take; password null and extra {} unless asked for. */
export interface TaskConnection {
  conn_type: string;
  host: string | null;
  port: number | null;
  login: string | null;
  schema: string | null;
  password: string | null;
  extra: Record<string, unknown>;
}
