import type { JsonObject, JsonValue } from '../dag/json-value.ts';
import type { DatasetRef, SerializedTask } from '../dag/serialized-dag.ts';

/**
 * The task process and its supervisor (the executor's side of one try) speak over Node's IPC channel, in JSON. The
 * task process never opens the metadata database: it asks its supervisor for what it needs (variables, connections,
 * other tasks' results) and reports what it did; the supervisor writes the database (as Airflow 3's task supervisor
 * talks to the Execution API, not the database). Dates travel as ISO strings.
 */
export interface TaskAssignment {
  dagId: string;
  taskId: string;
  runId: string;
  tryNumber: number;
  maxTries: number;
  /** The DAG file of the run's DAG version, relative to the DAG folder. */
  file: string;
  /** The version the run keeps, and its serialised task: the loaded file's task is compared with it. */
  version: string;
  task: SerializedTask;
  logicalDate: string;
  dataIntervalStart: string;
  dataIntervalEnd: string;
  prevDataIntervalStartSuccess: string | null;
  /** The DAG's params overridden by the run's conf. */
  runParams: JsonObject;
  /** A poke coming back from a reschedule: its first poke (TaskContext.rescheduledSince); null otherwise. */
  rescheduledSince: string | null;
}

export type SupervisorMessage =
  /**
   * `now`: the supervisor's clock as it sends this; the task's context.now() runs on from it, so that what a task
   * decides by the time (a sensor's next poke and timeout) follows the clock the scheduler uses (a test's TestClock).
   */
  | { type: 'run'; assignment: TaskAssignment; now: string }
  /** Stop: the execution timeout passed, or the worker stops; the task's AbortSignal fires with this as its reason. */
  | { type: 'abort'; code: 'SPK_E_TASK_TIMEOUT' | 'SPK_E_TASK_STOPPED'; reason: string }
  | { type: 'reply'; id: number; ok: true; value: JsonValue | null }
  | { type: 'reply'; id: number; ok: false; code: string | null; message: string };

export type TaskRequest =
  | { what: 'variable'; name: string }
  | { what: 'connection'; connId: string; secrets: boolean }
  | { what: 'result'; taskId: string; key: string };

/** What a task process says of itself after a try: whether it can take another, and the DAG files it has loaded. */
export interface AfterTry {
  reusable: boolean;
  /** Why not, for the try's log. */
  why: string | null;
  /** DAG file (relative to the folder) → its signature when imported (reuse.ts fileSignature). */
  files: Record<string, string>;
}

export type TaskMessage =
  | { type: 'ready' }
  /** The DAG file is loaded and the fields rendered: `execute` starts now, and with it the execution timeout. */
  | { type: 'executing' }
  | { type: 'log'; text: string }
  | { type: 'request'; id: number; request: TaskRequest }
  /** `hasResult` false: execute returned undefined (nothing to store). Inlets and outlets as the operator held them at the end. */
  | { type: 'done'; hasResult: boolean; result: JsonValue | null; inlets: DatasetRef[]; outlets: DatasetRef[]; after?: AfterTry }
  /** The task asked to be rescheduled (operators/reschedule-request.ts): not a failure; its try goes on later. */
  | { type: 'reschedule'; nextTryAt: string; firstPokeAt: string; message: string; after?: AfterTry }
  /**
   * A SparkifyError's `retryable` and `details` travel too (null for another error, or details that are not JSON): the
   * runner reads a sensor's timeout (not retried) and DataQuality's results (stored) from them.
   */
  | { type: 'failed'; message: string; code: string | null; stack: string | null; retryable: boolean | null; details: JsonObject | null; after?: AfterTry };
