import { SparkifyError } from '../../../src/core/errors.ts';
import type { BaseOperator } from '../../../src/orchestrator/dag/base-operator.ts';
import type { JsonObject, JsonValue } from '../../../src/orchestrator/dag/json-value.ts';
import type { TaskConnection, TaskContext } from '../../../src/orchestrator/dag/task-context.ts';
import { renderTemplateFields } from '../../../src/orchestrator/templates/index.ts';

export interface ContextOptions {
  start?: Date;
  end?: Date;
  connections?: Record<string, Partial<TaskConnection> & { conn_type: string }>;
  results?: Record<string, JsonValue>;
  runParams?: JsonObject;
  signal?: AbortSignal;
  rescheduledSince?: Date;
  /** Each log line as it is written (the test's synchronisation point). */
  onLog?: (line: string) => void;
}

/**
 * What the task runner would hand `execute`: the task's templated fields rendered with the run's context (the real
 * template engine), connections from a map (SPK_E_NOT_FOUND otherwise, as the metadata database answers), a log kept
 * in `lines`. No scheduler or runner is involved.
 */
export async function contextFor<P extends JsonObject>(task: BaseOperator<P, any>, options: ContextOptions = {}): Promise<TaskContext<P> & { lines: string[] }> {
  const start = options.start ?? new Date('2018-11-05T13:00:00Z');
  const end = options.end ?? new Date(start.getTime() + 3_600_000);
  const runId = `scheduled__${start.toISOString().replace('.000Z', '+00:00')}`;
  const runParams = { ...((task.dag as { settings?: { params: JsonObject } }).settings?.params ?? {}), ...options.runParams };
  const connections = options.connections ?? {};
  const lookups = { variable: () => undefined, connection: (id: string) => (connections[id] ? { conn_type: connections[id].conn_type } : undefined) };
  const params = await renderTemplateFields(task.params, task.templateFields, {
    dagId: task.dag.id, taskId: task.id, runId, logicalDate: start, dataIntervalStart: start, dataIntervalEnd: end, prevDataIntervalStartSuccess: null, params: runParams,
  }, lookups);
  const lines: string[] = [];
  return {
    dagId: task.dag.id, taskId: task.id, runId, tryNumber: 1, logicalDate: start, dataIntervalStart: start, dataIntervalEnd: end,
    params, runParams, signal: options.signal ?? new AbortController().signal, lines,
    ...(options.rescheduledSince === undefined ? {} : { rescheduledSince: options.rescheduledSince }),
    log: (line) => {
      lines.push(line);
      options.onLog?.(line);
    },
    resultOf: async (taskId) => options.results?.[taskId] ?? null,
    connection: async (connId) => {
      const c = connections[connId];
      if (c === undefined) throw new SparkifyError('SPK_E_NOT_FOUND', `no connection ${connId}`);
      return { host: null, port: null, login: null, schema: null, password: null, extra: {}, ...c };
    },
  };
}
