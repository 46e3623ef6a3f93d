/**
 * The task process: runs tries of task instances, one at a time, the only place a worker imports user code. Started
 * by the supervisor (task-process-pool.ts) as `node task-child.ts <dag folder> <end marker>` with an IPC channel; for
 * each try it is told what to run, loads the DAG file (once per process: the module cache keeps it), renders the
 * task's templated fields, calls `execute`, and reports. It never opens the metadata database: variables,
 * connections and results are asked of the supervisor. After a try it says whether it is fit for another (reuse.ts);
 * if not, it exits.
 */
import { ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SparkifyError } from '../../core/errors.ts';
import { installDagCollector } from '../dag/dag-collector.ts';
import type { JsonObject, JsonValue } from '../dag/json-value.ts';
import type { TaskConnection, TaskContext } from '../dag/task-context.ts';
import type { TaskCallback } from '../dag/task-settings.ts';
import { RescheduleRequest } from '../operators/reschedule-request.ts';
import { renderTemplateFields } from '../templates/render-template.ts';
import { findTask } from './find-task.ts';
import { fileSignature, ReuseCheck } from './reuse.ts';
import type { SupervisorMessage, TaskAssignment, TaskMessage, TaskRequest } from './runner-messages.ts';

const folder = resolve(process.argv[2] ?? '.');
/** Written to stdout and stderr after each try: the supervisor has all of a try's output once it has seen both. */
const endMarker = process.argv[3] ?? '';
const defined = installDagCollector();
const send = (m: TaskMessage) => process.send?.(m);
/** The try running now (one at a time); undefined between tries. */
let current: { controller: AbortController; pending: Map<number, { done: (v: JsonValue | null) => void; fail: (e: Error) => void }>; clockOffsetMs: number; ended: boolean } | undefined;
let nextId = 1;
/** The DAG files this process imported, with the signature (mtime, size) each had then. */
const loaded: Record<string, string> = {};
/** A subprocess started during a try: it may outlive the try, so the process (and its group) is not reused. */
let spawned = false;
// Every way of starting one (spawn, exec, execFile, fork) goes through ChildProcess#spawn, which Node's types omit.
const proto = ChildProcess.prototype as unknown as { spawn: (...args: unknown[]) => unknown };
const spawn = proto.spawn;
proto.spawn = function (this: ChildProcess, ...args: unknown[]) {
  spawned = true;
  return spawn.apply(this, args);
};
// The synchronous ones do not: they are wrapped on the module, and ES imports of it (a DAG file's) see the wrappers.
const childProcessModule = createRequire(import.meta.url)('node:child_process') as Record<string, (...args: unknown[]) => unknown>;
for (const name of ['spawnSync', 'execSync', 'execFileSync']) {
  const original = childProcessModule[name]!;
  childProcessModule[name] = (...args: unknown[]) => {
    spawned = true;
    return original(...args);
  };
}
syncBuiltinESMExports();
const reuse = new ReuseCheck();
/** Each operator's declared inlets and outlets: an execute that sets them for its run must not leak into the next try. */
const declared = new WeakMap<object, { inlets: unknown; outlets: unknown }>();

// The supervisor gone (its worker killed, even with -9) closes this channel: the try is no longer anyone's, and must
// not go on beside the retry another worker will start. The whole process group goes, with any subprocess the task
// started. (A task blocking the event loop never sees this; its lease lapsing still lets another worker retry it.)
process.on('disconnect', () => process.kill(-process.pid, 'SIGKILL'));

function ask(request: TaskRequest): Promise<JsonValue | null> {
  const id = nextId++;
  const pending = current?.pending;
  if (pending === undefined) return Promise.reject(new SparkifyError('SPK_E_TASK_FAILED', 'a request after its try ended'));
  return new Promise((done, fail) => {
    pending.set(id, { done, fail });
    send({ type: 'request', id, request });
  });
}

function log(message: string): void {
  send({ type: 'log', text: String(message) });
}

async function run(a: TaskAssignment, controller: AbortController, clockOffsetMs: number): Promise<void> {
  const path = resolve(folder, a.file);
  // Signed before the import: a file changed while it loads is seen as changed by the next try's supervisor.
  loaded[a.file] ??= fileSignature(statSync(path, { bigint: true }));
  await import(pathToFileURL(path).href);
  const { operator, changed } = findTask(defined, a.dagId, a.taskId, a.file, a.task);
  if (changed !== null) log(changed);
  const own = declared.get(operator) ?? { inlets: operator.inlets, outlets: operator.outlets };
  declared.set(operator, own);
  Object.assign(operator, own);
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
  const callbacks = operator.settings.callbacks;
  let result;
  try {
    result = await operator.execute(context);
  } catch (error) {
    // Airflow's rule, seen from the task's side: a try with tries left is retried unless it is a sensor's own timeout.
    const e = error instanceof Error ? error : new Error(String(error));
    const final = error instanceof SparkifyError && !error.retryable && error.details.sensor === true;
    if (!RescheduleRequest.is(error)) await runCallback(a.tryNumber < a.maxTries && !final ? ['onRetry', callbacks.onRetry] : ['onFailure', callbacks.onFailure], context, e);
    throw error;
  }
  await runCallback(['onSuccess', callbacks.onSuccess], context);
  // JSON only, checked here so that a Date or a Map is this task's error, not a silent change of value downstream.
  const text = result === undefined ? undefined : JSON.stringify(result);
  if (result !== undefined && (text === undefined || JSON.stringify(JSON.parse(text)) !== text)) {
    throw new SparkifyError('SPK_E_TASK_FAILED', `task '${a.taskId}' returned a value that is not JSON`);
  }
  const value = text === undefined ? null : (JSON.parse(text) as JsonValue);
  finish({ type: 'done', hasResult: result !== undefined, result: value, inlets: operator.inlets, outlets: operator.outlets });
}

/**
 * A task callback, in this process (where user code runs, as Airflow runs them), before the try's end is reported: its
 * own failure is a line of the try's log, never the try's outcome.
 */
async function runCallback([name, callback]: [string, TaskCallback | null], context: TaskContext<any>, error?: Error): Promise<void> {
  if (callback === null) return;
  try {
    await callback(context, error);
  } catch (e) {
    log(`${name} callback failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}

/**
 * Reports the try's end, with whether this process can take another (nothing of the try left running, no subprocess,
 * memory within bounds); if not, it exits once the report is sent, so that a timer or socket the task left open
 * cannot keep it (and its slot) alive.
 */
function finish(message: Extract<TaskMessage, { type: 'done' | 'failed' | 'reschedule' }>, fit = true): void {
  if (process.send === undefined) process.exit(1);
  if (current === undefined || current.ended) {
    // An error of a try that has ended (a stray rejection): nothing to report to, and the process is not clean.
    process.exit(1);
  }
  current.ended = true;
  const aborted = current.controller.signal.aborted;
  const unfit = !fit ? 'an error escaped the task' : aborted ? 'the try was aborted' : spawned ? 'the task started a subprocess' : null;
  // What the try left is checked once its promise chains have settled, and again for a little while: a client the
  // task closed (a database pool's end()) lets go of its socket a few milliseconds after its close resolved.
  void settled(unfit).then((why) => {
    const after = { reusable: why === null, why, files: { ...loaded } };
    current = undefined;
    process.send?.({ ...message, after }, () => {
      // Pipes to the supervisor are written synchronously on Linux: the markers follow everything the try printed.
      process.stdout.write(endMarker);
      process.stderr.write(endMarker);
      if (why !== null) process.exit(0);
    });
  });
}

/** Why the process must not be reused (null: it may), after up to ~100 ms for closing handles to go. */
async function settled(unfit: string | null): Promise<string | null> {
  if (unfit !== null) return unfit;
  await new Promise((r) => setImmediate(r));
  let why = reuse.leftovers();
  for (let wait = 1; why !== null && wait <= 64; wait *= 2) {
    await new Promise((r) => setTimeout(r, wait));
    why = reuse.leftovers();
  }
  return why;
}

function failed(error: unknown, fit = true): void {
  // By shape, not class: the DAG file may have loaded another copy of the operators' module than this process did.
  if (RescheduleRequest.is(error)) {
    finish({ type: 'reschedule', nextTryAt: error.nextTryAt.toISOString(), firstPokeAt: error.firstPokeAt.toISOString(), message: error.message }, fit);
    return;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const spark = error instanceof SparkifyError;
  finish({ type: 'failed', message: e.message, code: spark ? error.code : null, stack: e.stack ?? null, retryable: spark ? error.retryable : null, details: spark ? jsonDetails(error.details) : null }, fit);
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
    if (current !== undefined) process.exit(70); // the supervisor runs one try at a time: a second is a bug
    spawned = false;
    const controller = new AbortController();
    current = { controller, pending: new Map(), clockOffsetMs: Date.parse(m.now) - Date.now(), ended: false };
    void run(m.assignment, controller, current.clockOffsetMs).catch((e: unknown) => failed(e));
  }
  else if (m.type === 'abort') current?.controller.abort(new SparkifyError(m.code, m.reason));
  else if (m.type === 'reply') {
    const p = current?.pending.get(m.id);
    current?.pending.delete(m.id);
    if (m.ok) p?.done(m.value);
    else p?.fail(m.code === null ? new Error(m.message) : new SparkifyError(m.code as 'SPK_E_NOT_FOUND', m.message.replace(/^SPK_E_\w+: /, '')));
  }
});
// An error escaping the task (a rejection nobody awaited) fails the try, as it would have in execute; the process
// is not reused after it.
process.on('uncaughtException', (e) => failed(e, false));
process.on('unhandledRejection', (e) => failed(e, false));
reuse.baseline();
send({ type: 'ready' });
