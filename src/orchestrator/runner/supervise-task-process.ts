import { SparkifyError } from '../../core/errors.ts';
import type { JsonValue } from '../dag/json-value.ts';
import type { ClaimedTask } from '../metadb/claim-task-instances.ts';
import { getConnection } from '../metadb/connections.ts';
import { getResult } from '../metadb/task-results.ts';
import { getVariable } from '../metadb/variables.ts';
import type { RunnerDeps } from './runner-deps.ts';
import type { TaskAssignment, TaskMessage, TaskRequest } from './runner-messages.ts';
import type { TaskLogWriter } from './task-log-writer.ts';
import type { TaskHost } from './task-process-pool.ts';

/** How the try's process part ended: its last word (done or failed; null if it died first) and its exit. */
export interface ProcessEnd {
  reply: Extract<TaskMessage, { type: 'done' | 'failed' | 'reschedule' }> | null;
  /** The process's exit, if it ended (null, null: it reported and stays for another try). */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why it was stopped, if it was: its execution timeout, its DAG file's load time, the worker stopping, or the claim lost. */
  stopped: 'timeout' | 'load' | 'stop' | 'lost' | null;
  /** Whether it ignored the abort for the whole grace and was killed. */
  killed: boolean;
  /** The process goes on to another try; else why not (for the log), or null if it ended. */
  reused: boolean;
  notReusedBecause: string | null;
}

/** The supervisor's handle on a running task process. */
export interface TaskProcess {
  end: Promise<ProcessEnd>;
  /** Resolves when the task's `execute` starts (its file loaded, its fields rendered); never if it fails before. */
  executing: Promise<void>;
  /** Aborts the task (its signal fires), then kills it after the grace; `lost` and `load` kill it at once. */
  stop(why: 'timeout' | 'load' | 'stop' | 'lost', reason: string): void;
}

/**
 * Runs the try in a task process from the executor's pool (task-process-pool.ts) and serves it: its requests are
 * answered from the metadata database, its log messages and output go to the try's log. A process that ends its try
 * fit for another goes back to the pool; any other is killed with its process group, so nothing it left behind keeps
 * running past its try.
 */
export function startTaskProcess(deps: RunnerDeps, claim: ClaimedTask, assignment: TaskAssignment, log: TaskLogWriter): TaskProcess {
  const pool = deps.processes;
  let markExecuting = () => {};
  const executing = new Promise<void>((resolve) => (markExecuting = resolve));
  let host: TaskHost | undefined;
  let reply: ProcessEnd['reply'] = null;
  let stopped: ProcessEnd['stopped'] = null;
  let killed = false;
  let graceTimer: NodeJS.Timeout | undefined;
  let settled = false;
  let finish: (end: ProcessEnd) => void = () => {};
  const end = new Promise<ProcessEnd>((resolve) => (finish = resolve));
  const markers = new Set<'stdout' | 'stderr'>();

  const settle = (exit: { code: number | null; signal: NodeJS.Signals | null } | null) => {
    if (settled) return;
    settled = true;
    clearTimeout(graceTimer);
    const after = reply?.after;
    const reused = exit === null && stopped === null && after?.reusable === true;
    if (host !== undefined) {
      if (after !== undefined) host.files = after.files;
      pool.release(host, reused);
    }
    finish({
      reply, code: exit?.code ?? null, signal: exit?.signal ?? null, stopped, killed, reused,
      notReusedBecause: exit !== null ? null : reused ? null : (after?.why ?? (stopped !== null ? `it was stopped (${stopped})` : null)),
    });
  };
  const tryEnded = () => {
    // Its report and the end of its output on both streams: the try is over and its log complete.
    if (reply !== null && markers.size === 2) settle(null);
  };

  void pool.acquire(assignment.file).then(async (h) => {
    host = h;
    if (stopped === 'lost' || stopped === 'load') {
      settle({ code: null, signal: null });
      return;
    }
    h.bind({
      message: (m) => {
        if (m.type === 'executing') markExecuting();
        else if (m.type === 'log') log.line('task', m.text);
        else if (m.type === 'request') {
          answer(deps, claim, m.request, log).then(
            (value) => h.send({ type: 'reply', id: m.id, ok: true, value }),
            (error: unknown) => h.send({ type: 'reply', id: m.id, ok: false, code: error instanceof SparkifyError ? error.code : null, message: error instanceof Error ? error.message : String(error) }),
          );
        } else if (m.type !== 'ready') {
          reply = m;
          tryEnded();
        }
      },
      output: (source, data) => log.stream(source, data),
      marker: (source) => {
        markers.add(source);
        tryEnded();
      },
      error: (error) => {
        log.line('runner', `the task's process could not be started: ${error.message}`);
        settle({ code: null, signal: null });
      },
    });
    // However it ends (even if it did just now, idle in the pool), its exit settles the try if nothing else has: by
    // then its output is read to the end ('close').
    void h.closed.then((exit) => settle(exit));
    if (!(await h.ready) || h.exited) return;
    h.send({ type: 'run', assignment, now: deps.clock.now().toISOString() });
    if (stopped !== null) h.send({ type: 'abort', code: stopped === 'timeout' ? 'SPK_E_TASK_TIMEOUT' : 'SPK_E_TASK_STOPPED', reason: 'stopped before it started' });
  });

  return {
    end,
    executing,
    stop(why, reason) {
      if (settled || stopped !== null) return;
      stopped = why;
      if (why === 'lost' || why === 'load') {
        killed = true;
        host?.killGroup();
        return;
      }
      host?.send({ type: 'abort', code: why === 'timeout' ? 'SPK_E_TASK_TIMEOUT' : 'SPK_E_TASK_STOPPED', reason });
      graceTimer = setTimeout(() => {
        killed = true;
        log.line('runner', `the task did not end within ${deps.killGraceMs} ms of its abort: its process is killed`);
        host?.killGroup();
      }, deps.killGraceMs);
    },
  };
}

/**
 * A task's request. Connections are given without their password and extras unless the operator asks for its
 * secrets (templates never do); that a task took them is logged, never what they are.
 */
async function answer(deps: RunnerDeps, claim: ClaimedTask, request: TaskRequest, log: TaskLogWriter): Promise<JsonValue | null> {
  if (request.what === 'variable') return (await getVariable(deps.metadb, deps.secrets, request.name)) ?? null;
  if (request.what === 'result') {
    const r = await getResult(deps.metadb, { dagId: claim.dagId, runId: claim.runId, taskId: request.taskId }, request.key);
    return r.found ? (r.value as JsonValue) : null;
  }
  let c;
  try {
    c = await getConnection(deps.metadb, deps.secrets, request.connId);
  } catch (error) {
    if (error instanceof SparkifyError && error.code === 'SPK_E_NOT_FOUND') return null;
    throw error;
  }
  if (request.secrets) log.line('runner', `connection ${request.connId} given to the task with its secrets`);
  return {
    conn_type: c.connType, host: c.host, port: c.port, login: c.login, schema: c.schema,
    password: request.secrets ? c.password : null, extra: request.secrets ? (c.extra as Record<string, JsonValue>) : {},
  };
}
