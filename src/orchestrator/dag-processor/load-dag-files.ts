import { fork, type ChildProcess } from 'node:child_process';
import { SparkifyError } from '../../core/errors.ts';
import type { ChildReply } from './child-messages.ts';
import type { ImportError } from './import-error.ts';

export type FileOutcome = { file: string; dags: string[] } | { file: string; error: ImportError };

const childScript = new URL('./dag-file-child.ts', import.meta.url);

/**
 * Loads `files` (relative to `folder`) in a child process, one after another, each within `timeoutMs`. A file that hangs
 * is killed with its process, one that ends its process is reported from its exit; either way a new child goes on with
 * the files left, so one bad file never costs the others. This process never imports a DAG file.
 */
export async function loadDagFiles(folder: string, files: readonly string[], timeoutMs: number): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  let next = 0;
  while (next < files.length) {
    const child = await startChild(folder, timeoutMs);
    try {
      while (next < files.length) {
        const file = files[next++] as string;
        const outcome = await loadOne(child, file, timeoutMs);
        outcomes.push(outcome);
        if (!child.connected) break;
      }
    } finally {
      await stop(child);
    }
  }
  return outcomes;
}

interface Child {
  process: ChildProcess;
  /** The end of its stderr, for the message of a crash. */
  stderr: () => string;
  replies: ChildReply[];
  waiter: (() => void) | null;
  exited: { code: number | null; signal: NodeJS.Signals | null } | null;
  readonly connected: boolean;
}

async function startChild(folder: string, timeoutMs: number): Promise<Child> {
  // execArgv: [] — the parent may run under --test or --inspect flags a DAG file must not inherit.
  const proc = fork(childScript, [folder], { execPath: process.execPath, execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
  let tail = '';
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => (tail = (tail + d).slice(-2000)));
  const child: Child = {
    process: proc,
    stderr: () => tail.trim(),
    replies: [],
    waiter: null,
    exited: null,
    get connected() {
      return this.exited === null && proc.connected && !proc.killed;
    },
  };
  const wake = () => child.waiter?.();
  proc.on('message', (m: ChildReply) => {
    child.replies.push(m);
    wake();
  });
  proc.on('exit', (code, signal) => {
    child.exited = { code, signal };
    wake();
  });
  proc.on('error', wake);
  const ready = await next(child, timeoutMs);
  if (ready?.type !== 'ready') {
    await stop(child);
    throw new SparkifyError('SPK_E_DAG_IMPORT', `the DAG processor's child process did not start${child.stderr() ? `: ${child.stderr()}` : ''}`);
  }
  return child;
}

/** The child's next reply, or null when it exited or `timeoutMs` passed first. */
function next(child: Child, timeoutMs: number): Promise<ChildReply | null> {
  return new Promise((done) => {
    const check = () => {
      const reply = child.replies.shift();
      if (reply !== undefined || child.exited !== null || timedOut) {
        clearTimeout(timer);
        child.waiter = null;
        done(reply ?? null);
        return true;
      }
      return false;
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      check();
    }, timeoutMs);
    if (!check()) child.waiter = check;
  });
}

async function loadOne(child: Child, file: string, timeoutMs: number): Promise<FileOutcome> {
  child.process.send({ type: 'load', file });
  let reply = await next(child, timeoutMs);
  // A late word about an earlier file (a stray rejection after it loaded) is not this file's answer.
  while (reply !== null && reply.type !== 'ready' && reply.file !== file) reply = await next(child, timeoutMs);
  if (reply?.type === 'loaded' && reply.file === file) return { file, dags: reply.dags };
  if (reply?.type === 'failed' && reply.file === file) return { file, error: { file, line: reply.line, message: reply.message } };
  if (child.exited === null) {
    child.process.kill('SIGKILL');
    return { file, error: { file, line: null, message: `SPK_E_DAG_IMPORT: loading the file took longer than its time limit (${timeoutMs} ms); its process was stopped` } };
  }
  const { code, signal } = child.exited;
  const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
  const stderr = child.stderr();
  return { file, error: { file, line: null, message: `SPK_E_DAG_IMPORT: the process loading the file ${how}${stderr ? `: ${stderr}` : ''}` } };
}

async function stop(child: Child): Promise<void> {
  if (child.exited !== null) return;
  const exited = new Promise<void>((done) => child.process.once('exit', () => done()));
  child.process.kill('SIGKILL');
  await exited;
}
