/** The callback runner and its child speak JSON over IPC; dates travel as ISO strings. */
export interface CallbackJob {
  type: 'run';
  /** The DAG file, relative to the DAG folder. */
  file: string;
  dagId: string;
  taskId: string | null;
  kind: 'dag_success' | 'dag_failure' | 'deadline_miss';
  /** The callback's context (DagRunCallbackContext or DeadlineMissContext), dates as ISO strings. */
  context: Record<string, unknown>;
}

export type CallbackReply = { type: 'ready' } | { type: 'done' } | { type: 'failed'; message: string };
