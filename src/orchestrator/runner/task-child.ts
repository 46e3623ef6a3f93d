/**
 * The task process: runs one try of one task instance, the only place a worker imports user code. Started by the
 * supervisor (run-task-attempt.ts) as `node task-child.ts <dag folder>` with an IPC channel; it is told what to run,
 * loads the DAG file, renders the task's templated fields, calls `execute`, and reports. It never opens the metadata
 * database: variables, connections and results are asked of the supervisor.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SparkifyError } from '../../core/errors.ts';
import { installDagCollector } from '../dag/dag-collector.ts';
import type { JsonObject, JsonValue } from '../dag/json-value.ts';
import type { TaskConnection, TaskContext } from '../dag/task-context.ts';
import { RescheduleRequest } from '../operators/reschedule-request.ts';
import { renderTemplateFields } from '../templates/render-template.ts';
import { findTask } from './find-task.ts';
import type { SupervisorMessage, TaskAssignment, TaskMessage, TaskRequest } from './runner-messages.ts';

const folder = resolve(process.argv[2] ?? '.');
const defined = installDagCollector();
const controller = new AbortController();
const send = (m: TaskMessage) => process.send?.(m);
const pending = new Map<number, { done: (v: JsonValue | null) => void; fail: (e: Error) => void }>();
let nextId = 1;
/** The supervisor's clock less this process's, when it said run: context.now() is this process's time plus it. */
let clockOffsetMs = 0;

// The supervisor gone (its worker killed, even with -9) closes this channel: the try is no longer anyone's, and must
// not go on beside the retry another worker will start. The whole process group goes, with any subprocess the task
// started. (A task blocking the event loop never sees this; its lease lapsing still lets another worker retry it.)
process.on('disconnect', () => process.kill(-process.pid, 'SIGKILL'));

function ask(request: TaskRequest): Promise<JsonValue | null> {
  const id = nextId++;
  return new Promise((done, fail) => {
    pending.set(id, { done, fail });
    send({ type: 'request', id, request });
  });
}

function log(message: string): void {
  send({ type: 'log', text: String(message) });
}

async function run(a: TaskAssignment): Promise<void> {
  await import(pathToFileURL(resolve(folder, a.file)).href);
  const { operator, changed } = findTask(defined, a.dagId, a.taskId, a.file, a.task);
  if (changed !== null) log(changed);
  const run = {
    dagId: a.dagId, taskId: a.taskId, runId: a.runId,
    logicalDate: new Date(a.logicalDate), dataIntervalStart: new Date(a.dataIntervalStart), dataIntervalEnd: new Date(a.dataIntervalEnd),
    prevDataIntervalStartSuccess: a.prevDataIntervalStartSuccess === null ? null : new Date(a.prevDataIntervalStartSuccess),
    params: a.runParams,
  };
  const lookups = {
    variable: async (name: string) => (await ask({ what: 'variable', name })) as string | null ?? undefined,
    connection: async (connId: string) => (await ask({ what: 'connection', connId, secrets: false })) as Record<string, JsonValue> | null ?? undefined,
  };
  const params = await renderTemplateFields(operator.params, operator.templateFields, run, lookups);
  const context: TaskContext<any> = {
    dagId: a.dagId, taskId: a.taskId, runId: a.runId, tryNumber: a.tryNumber,
    logicalDate: run.logicalDate, dataIntervalStart: run.dataIntervalStart, dataIntervalEnd: run.dataIntervalEnd,
    params, runParams: a.runParams, signal: controller.signal, log,
    now: () => new Date(Date.now() + clockOffsetMs),
    ...(a.rescheduledSince === null ? {} : { rescheduledSince: new Date(a.rescheduledSince) }),
    resultOf: (taskId, key = 'return_value') => ask({ what: 'result', taskId, key }).then((v) => v ?? null),
    connection: async (connId, options) => {
      const c = await ask({ what: 'connection', connId, secrets: options?.secrets === true });
      if (c === null) throw new SparkifyError('SPK_E_NOT_FOUND', `no connection ${connId}`);
      return c as unknown as TaskConnection;
    },
  };
  send({ type: 'executing' });
  const result = await operator.execute(context);
  // JSON only, checked here so that a Date or a Map is this task's error, not a silent change of value downstream.
  const text = result === undefined ? undefined : JSON.stringify(result);
  if (result !== undefined && (text === undefined || JSON.stringify(JSON.parse(text)) !== text)) {
    throw new SparkifyError('SPK_E_TASK_FAILED', `task '${a.taskId}' returned a value that is not JSON`);
  }
  const value = text === undefined ? null : (JSON.parse(text) as JsonValue);
  finish({ type: 'done', hasResult: result !== undefined, result: value, inlets: operator.inlets, outlets: operator.outlets });
}

/** Reports and ends: a timer or socket the task left open must not keep its process (and its pool slot) alive. */
function finish(message: TaskMessage): void {
  if (process.send === undefined) process.exit(1);
  process.send(message, () => process.exit(0));
}

function failed(error: unknown): void {
  // By shape, not class: the DAG file may have loaded another copy of the operators' module than this process did.
  if (RescheduleRequest.is(error)) {
    finish({ type: 'reschedule', nextTryAt: error.nextTryAt.toISOString(), firstPokeAt: error.firstPokeAt.toISOString(), message: error.message });
    return;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const spark = error instanceof SparkifyError;
  finish({ type: 'failed', message: e.message, code: spark ? error.code : null, stack: e.stack ?? null, retryable: spark ? error.retryable : null, details: spark ? jsonDetails(error.details) : null });
}

/** An error's details as JSON (a bigint as its digits), or null if they cannot be: they must cross the IPC channel. */
function jsonDetails(details: Record<string, unknown>): JsonObject | null {
  try {
    return JSON.parse(JSON.stringify(details, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as JsonObject;
  } catch {
    return null;
  }
}

process.on('message', (m: SupervisorMessage) => {
  if (m.type === 'run') {
    clockOffsetMs = Date.parse(m.now) - Date.now();
    void run(m.assignment).catch(failed);
  }
  else if (m.type === 'abort') controller.abort(new SparkifyError(m.code, m.reason));
  else if (m.type === 'reply') {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.done(m.value);
    else p?.fail(m.code === null ? new Error(m.message) : new SparkifyError(m.code as 'SPK_E_NOT_FOUND', m.message.replace(/^SPK_E_\w+: /, '')));
  }
});
// An error escaping the task (a rejection nobody awaited) fails the try, as it would have in execute.
process.on('uncaughtException', failed);
process.on('unhandledRejection', failed);
send({ type: 'ready' });
