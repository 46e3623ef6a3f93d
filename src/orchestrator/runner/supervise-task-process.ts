import { fork } from 'node:child_process';
import { SparkifyError } from '../../core/errors.ts';
import type { JsonValue } from '../dag/json-value.ts';
import type { ClaimedTask } from '../metadb/claim-task-instances.ts';
import { getConnection } from '../metadb/connections.ts';
import { getResult } from '../metadb/task-results.ts';
import { getVariable } from '../metadb/variables.ts';
import type { RunnerDeps } from './runner-deps.ts';
import type { SupervisorMessage, TaskAssignment, TaskMessage, TaskRequest } from './runner-messages.ts';
import type { TaskLogWriter } from './task-log-writer.ts';

const childScript = new URL('./task-child.ts', import.meta.url);

/** How the task's process ended: its last word (done or failed; null if it died first) and its exit. */
export interface ProcessEnd {
  reply: Extract<TaskMessage, { type: 'done' | 'failed' | 'reschedule' }> | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why it was stopped, if it was: its execution timeout, the worker stopping, or the claim lost. */
  stopped: 'timeout' | 'stop' | 'lost' | null;
  /** Whether it ignored the abort for the whole grace and was killed. */
  killed: boolean;
}

/** The supervisor's handle on a running task process. */
export interface TaskProcess {
  end: Promise<ProcessEnd>;
  /** Resolves when the task's `execute` starts (its file loaded, its fields rendered); never if it fails before. */
  executing: Promise<void>;
  /** Aborts the task (its signal fires), then kills it after the grace; `lost` kills it at once. */
  stop(why: 'timeout' | 'stop' | 'lost', reason: string): void;
}

/**
 * Starts the task's process and serves it: its requests are answered from the metadata database, its log messages
 * and output go to the try's log. The process is the leader of its own process group, so that a kill takes any
 * subprocess the task started with it; the group is killed once the process ends, too, so nothing it left behind
 * keeps running past its try.
 */
export function startTaskProcess(deps: RunnerDeps, claim: ClaimedTask, assignment: TaskAssignment, log: TaskLogWriter): TaskProcess {
  const child = fork(childScript, [deps.dagFolder], {
    execPath: process.execPath, execArgv: [...deps.taskExecArgv], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true, serialization: 'json',
  });
  let markExecuting = () => {};
  const executing = new Promise<void>((resolve) => (markExecuting = resolve));
  let reply: ProcessEnd['reply'] = null;
  let stopped: ProcessEnd['stopped'] = null;
  let killed = false;
  let graceTimer: NodeJS.Timeout | undefined;
  let exited = false;
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is gone already.
    }
  };
  const send = (m: SupervisorMessage) => {
    if (child.connected) child.send(m, () => undefined);
  };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => log.stream('stdout', d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => log.stream('stderr', d));
  child.on('message', (m: TaskMessage) => {
    if (m.type === 'ready') send({ type: 'run', assignment, now: deps.clock.now().toISOString() });
    else if (m.type === 'executing') markExecuting();
    else if (m.type === 'log') log.line('task', m.text);
    else if (m.type === 'request') {
      answer(deps, claim, m.request, log).then(
        (value) => send({ type: 'reply', id: m.id, ok: true, value }),
        (error: unknown) => send({ type: 'reply', id: m.id, ok: false, code: error instanceof SparkifyError ? error.code : null, message: error instanceof Error ? error.message : String(error) }),
      );
    } else reply = m;
  });
  const end = new Promise<ProcessEnd>((resolve) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    child.on('exit', (code, signal) => {
      exited = true;
      exit = { code, signal };
      clearTimeout(graceTimer);
      killGroup();
    });
    // 'close' comes once its output is read to the end, so that the log holds all of it.
    child.on('close', () => resolve({ reply, ...exit, stopped, killed }));
    child.on('error', (error) => {
      log.line('runner', `the task's process could not be started: ${error.message}`);
      if (!exited) resolve({ reply: null, code: null, signal: null, stopped, killed });
    });
  });
  return {
    end,
    executing,
    stop(why, reason) {
      if (exited || stopped !== null) return;
      stopped = why;
      if (why === 'lost') {
        killed = true;
        killGroup();
        return;
      }
      send({ type: 'abort', code: why === 'timeout' ? 'SPK_E_TASK_TIMEOUT' : 'SPK_E_TASK_STOPPED', reason });
      graceTimer = setTimeout(() => {
        killed = true;
        log.line('runner', `the task did not end within ${deps.killGraceMs} ms of its abort: its process is killed`);
        killGroup();
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
