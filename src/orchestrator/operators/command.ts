import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { configError, SparkifyError } from '../../core/errors.ts';
import { BaseOperator, type TaskScope } from '../dag/base-operator.ts';
import { durationMs, type Duration } from '../dag/duration.ts';
import type { TaskContext } from '../dag/task-context.ts';
import type { TaskOptions } from '../dag/task-settings.ts';

export type CommandParams = {
  /** The program and its arguments, templated; no shell parses them. With `shell: true`, one command line for /bin/sh -c. */
  argv: string[];
  shell?: boolean;
  cwd?: string;
  /** Added to the task process's environment. */
  env?: { [name: string]: string };
  /** The subprocess is stopped past this (SPK_E_TIMEOUT); default: only the task's executionTimeout. */
  timeout?: Duration;
};

/** After SIGTERM, how long the command has to exit before SIGKILL. */
const killGraceMs = 5_000;

/**
 * A subprocess as a task (Airflow's BashOperator, without a shell unless asked). Its stdout and stderr go to the task
 * log line by line; it returns the last line of stdout (as BashOperator pushes it). Past `timeout`, or when the task's
 * AbortSignal fires, its whole process group gets SIGTERM, then SIGKILL: a shell's children go with it.
 */
export class Command extends BaseOperator<CommandParams, string | null> {
  override readonly templateFields = ['argv', 'cwd', 'env'] as const;

  constructor(scope: TaskScope, id: string, options: CommandParams & TaskOptions) {
    const argv = options?.argv;
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) throw configError(`Command '${id}': argv must be a non-empty list of strings`);
    if (options.shell === true && argv.length !== 1) throw configError(`Command '${id}': with shell: true, argv is one command line`);
    if (options.timeout !== undefined) durationMs(options.timeout, `Command '${id}': timeout`);
    super(scope, id, options);
  }

  async execute(context: TaskContext<CommandParams>): Promise<string | null> {
    const p = context.params;
    context.signal.throwIfAborted();
    const [file, ...args] = p.shell === true ? ['/bin/sh', '-c', p.argv[0] as string] : p.argv;
    const timeoutMs = p.timeout === undefined ? null : durationMs(p.timeout, 'timeout');
    context.log(`running ${JSON.stringify(p.argv)}${timeoutMs === null ? '' : ` (timeout ${timeoutMs} ms)`}`);
    // detached: a process group of its own, so stopping it reaches whatever it started.
    const child = spawn(file as string, args, { cwd: p.cwd, env: { ...process.env, ...p.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true, shell: false });
    let stopped: 'timeout' | 'abort' | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: 'timeout' | 'abort') => {
      if (stopped !== null || child.exitCode !== null || child.signalCode !== null) return;
      stopped = why;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), killGraceMs);
    };
    const timer = timeoutMs === null ? undefined : setTimeout(() => stop('timeout'), timeoutMs);
    const onAbort = () => stop('abort');
    context.signal.addEventListener('abort', onAbort, { once: true });
    let last: string | null = null;
    const lines = [
      readLines(child.stdout, (l) => { last = l; context.log(l); }),
      readLines(child.stderr, (l) => context.log(`[stderr] ${l}`)),
    ];
    try {
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
        child.once('error', fail);
        child.once('close', (c, s) => done([c, s]));
      });
      await Promise.all(lines);
      if (stopped === 'abort') throw context.signal.reason;
      if (stopped === 'timeout') throw new SparkifyError('SPK_E_TIMEOUT', `the command ${JSON.stringify(p.argv[0])} ran past its timeout of ${timeoutMs} ms and was stopped`, { retryable: true, details: { timeoutMs } });
      if (code !== 0) {
        throw new SparkifyError('SPK_E_COMMAND', `the command ${JSON.stringify(p.argv[0])} ${signal === null ? `exited with status ${code}` : `was killed by ${signal}`}`, { details: { exitCode: code, signal } });
      }
      return last;
    } catch (error) {
      if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') throw configError(`Command: cannot run ${JSON.stringify(file)}: not found`);
      throw error;
    } finally {
      clearTimeout(timer);
      clearTimeout(killTimer);
      context.signal.removeEventListener('abort', onAbort);
    }
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone: nothing left to stop.
  }
}

async function readLines(stream: NodeJS.ReadableStream, each: (line: string) => void): Promise<void> {
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) each(line);
}
