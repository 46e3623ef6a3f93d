import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileSignature } from './reuse.ts';
import type { SupervisorMessage, TaskMessage } from './runner-messages.ts';

const childScript = new URL('./task-child.ts', import.meta.url);

export interface TaskProcessPoolOptions {
  dagFolder: string;
  /** Node flags for the task processes (e.g. `--max-old-space-size=512`). */
  execArgv?: readonly string[];
  /** Tries one process may run before it is replaced (1: a fresh process for every try). Default 200. */
  maxTriesPerProcess?: number;
  /** Idle processes kept at most (the executor's parallelism); more are ended. Default 4. */
  maxIdle?: number;
  /** An idle process is ended after this long unused. Default 60 s. */
  idleMs?: number;
}

/**
 * One task process (task-child.ts), the leader of its own process group so that a kill takes any subprocess a task
 * started. It runs one try at a time; the try in progress binds to it (`bind`) and gets its messages and output.
 */
export class TaskHost {
  readonly child: ChildProcess;
  /** Written by the child to stdout and stderr after each try; random, so that no task prints it by chance. */
  readonly marker = `\u001fsparkify-try-end-${randomBytes(8).toString('hex')}\u001f`;
  /** DAG files the process has imported, with the signature each had then. */
  files: Record<string, string> = {};
  tries = 0;
  exited = false;
  /** Resolves true once the process is ready for a try, false if it ended before. */
  readonly ready: Promise<boolean>;
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #binding: HostBinding | undefined;

  constructor(dagFolder: string, execArgv: readonly string[]) {
    this.child = fork(childScript, [dagFolder, this.marker], {
      execPath: process.execPath, execArgv: [...execArgv], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true, serialization: 'json',
    });
    let ready: (ok: boolean) => void = () => {};
    // Declared before the listeners that use them (the 'close' listener flushes them).
    let splitters: (readonly ['stdout' | 'stderr', MarkerSplitter])[] = [];
    this.ready = new Promise((r) => (ready = r));
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    this.closed = new Promise((resolveClosed) => {
      this.child.on('exit', (code, signal) => {
        this.exited = true;
        exit = { code, signal };
        ready(false);
        // Nothing the task started may outlive its process.
        this.killGroup();
      });
      // 'close' comes once its output is read to the end, so that the try's log holds all of it.
      this.child.on('close', () => {
        this.exited = true;
        ready(false);
        for (const [source, splitter] of splitters) {
          const rest = splitter.flush();
          if (rest !== '') this.#binding?.output(source, rest);
        }
        resolveClosed(exit);
      });
      this.child.on('error', (error) => {
        this.exited = true;
        ready(false);
        this.#binding?.error(error);
      });
    });
    splitters = (['stdout', 'stderr'] as const).map((source) => [source, new MarkerSplitter(this.marker)] as const);
    for (const [source, splitter] of splitters) {
      this.child[source]?.setEncoding('utf8').on('data', (d: string) => {
        for (const part of splitter.push(d)) {
          if (part === null) this.#binding?.marker(source);
          else this.#binding?.output(source, part);
        }
      });
    }
    this.child.on('message', (m: TaskMessage) => {
      if (m.type === 'ready') ready(true);
      else this.#binding?.message(m);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  bind(binding: HostBinding | undefined): void {
    this.#binding = binding;
  }

  send(m: SupervisorMessage): void {
    if (this.child.connected) this.child.send(m, () => undefined);
  }

  /** Kills the process and its whole group at once. */
  killGroup(): void {
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is gone already.
    }
  }
}

/** What the try bound to a host hears of it. */
export interface HostBinding {
  message(m: TaskMessage): void;
  output(source: 'stdout' | 'stderr', data: string): void;
  /** The child's end-of-try marker on that stream: the try's output on it is complete. */
  marker(source: 'stdout' | 'stderr'): void;
  error(error: Error): void;
}

/**
 * Warm task processes for the executor. Starting Node and loading the runner costs a few hundred milliseconds of CPU
 * per process, more than most tries' own work, so a process that ended its try cleanly (reuse.ts: nothing left
 * running, no subprocess, no abort, heap within bounds) takes the next one. A process runs a DAG file only while the
 * file is as it was when the process imported it (its signature: inode, mtime, size); a changed file goes to a
 * process that has not imported it yet, as a fresh process per try would run the file as it is now. A process is
 * replaced after `maxTriesPerProcess` tries, and ended after `idleMs` unused.
 */
export class TaskProcessPool {
  readonly #o: Required<TaskProcessPoolOptions>;
  readonly #idle: { host: TaskHost; timer: NodeJS.Timeout }[] = [];
  #closed = false;
  /** Processes started, for the executor's report and the tests. */
  started = 0;

  constructor(options: TaskProcessPoolOptions) {
    this.#o = { execArgv: [], maxTriesPerProcess: 200, maxIdle: 4, idleMs: 60_000, ...options };
    if (!Number.isInteger(this.#o.maxTriesPerProcess) || this.#o.maxTriesPerProcess < 1) throw new RangeError(`maxTriesPerProcess must be a whole number >= 1, not ${this.#o.maxTriesPerProcess}`);
  }

  get idle(): number {
    return this.#idle.length;
  }

  /** A process for a try of `file`: an idle one that may run it, else a new one. */
  async acquire(file: string): Promise<TaskHost> {
    let signature: string | null = null;
    try {
      signature = fileSignature(await stat(resolve(this.#o.dagFolder, file), { bigint: true }));
    } catch {
      // The file is gone: a new process reports that as the try's failure.
    }
    const fits = (h: TaskHost) => !h.exited && signature !== null && (h.files[file] === undefined || h.files[file] === signature);
    // One that has the file loaded already saves its import; any other fit one saves a process start.
    const at = [this.#idle.findIndex((e) => fits(e.host) && e.host.files[file] !== undefined), this.#idle.findIndex((e) => fits(e.host))].find((i) => i >= 0);
    if (at !== undefined) {
      const [entry] = this.#idle.splice(at, 1);
      clearTimeout(entry!.timer);
      return entry!.host;
    }
    this.started++;
    return new TaskHost(this.#o.dagFolder, this.#o.execArgv);
  }

  /** The try on `host` ended; `reusable` if it said it is fit for another. */
  release(host: TaskHost, reusable: boolean): void {
    host.bind(undefined);
    host.tries++;
    if (this.#closed || !reusable || host.exited || host.tries >= this.#o.maxTriesPerProcess) {
      host.killGroup();
      return;
    }
    const timer = setTimeout(() => this.#retire(host), this.#o.idleMs);
    timer.unref();
    this.#idle.push({ host, timer });
    while (this.#idle.length > this.#o.maxIdle) this.#retire(this.#idle[0]!.host);
  }

  /** Ends every idle process (the executor stops); processes running a try end when it does. */
  close(): void {
    this.#closed = true;
    while (this.#idle.length > 0) this.#retire(this.#idle[0]!.host);
  }

  #retire(host: TaskHost): void {
    const at = this.#idle.findIndex((e) => e.host === host);
    if (at >= 0) clearTimeout(this.#idle.splice(at, 1)[0]!.timer);
    host.killGroup();
  }
}

/** Splits a stream at a marker: text parts, and null where a marker was. A marker split across chunks is found. */
export class MarkerSplitter {
  #held = '';
  readonly #marker: string;

  constructor(marker: string) {
    this.#marker = marker;
  }

  push(data: string): (string | null)[] {
    const out: (string | null)[] = [];
    let text = this.#held + data;
    this.#held = '';
    for (let at = text.indexOf(this.#marker); at >= 0; at = text.indexOf(this.#marker)) {
      if (at > 0) out.push(text.slice(0, at));
      out.push(null);
      text = text.slice(at + this.#marker.length);
    }
    // The end may be the start of a marker: held back until the next chunk says.
    let keep = Math.min(text.length, this.#marker.length - 1);
    while (keep > 0 && !this.#marker.startsWith(text.slice(text.length - keep))) keep--;
    if (text.length - keep > 0) out.push(text.slice(0, text.length - keep));
    this.#held = text.slice(text.length - keep);
    return out;
  }

  /** What was held back, at the stream's end. */
  flush(): string {
    const rest = this.#held;
    this.#held = '';
    return rest;
  }
}
