import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { until } from '../executor/worker-processes.ts';

const bin = resolve(import.meta.dirname, '..', '..', '..', 'bin', 'sparkify.js');

export interface SparkifyProcess {
  role: string;
  process: ChildProcess;
  pid: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** What `kill9` saw: when the signal went, the task processes the victim had then, and when they were all gone. */
export interface Kill {
  role: string;
  pid: number;
  at: number;
  children: number[];
  /** By this time (ms since the epoch) the victim and every child it had were dead. */
  deadBy: number;
}

/**
 * Starts and kills real `sparkify` processes (bin/sparkify.js on this Node), each killed when the test ends if it
 * is still running.
 */
export function sparkifyProcesses(t: TestContext, env: NodeJS.ProcessEnv) {
  const all: SparkifyProcess[] = [];
  t.after(async () => {
    for (const p of all) if (running(p)) p.process.kill('SIGKILL');
    await Promise.all(all.map((p) => p.exited));
  });
  const start = (role: string, args: string[]): SparkifyProcess => {
    const proc = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    proc.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.on('exit', (code, signal) => r({ code, signal })));
    const p = { role, process: proc, pid: proc.pid as number, output: () => out, exited };
    all.push(p);
    return p;
  };
  return { start, all };
}

export const running = (p: SparkifyProcess) => p.process.exitCode === null && p.process.signalCode === null;

/**
 * `kill -9` of `victim`, made observable: it is first stopped (SIGSTOP), so that the children listed then are all it
 * will ever have; then SIGKILL; then this waits until the victim and each of those children are dead (a task process
 * notices its worker's death through its IPC channel and kills its process group). `deadBy` is an upper bound on every
 * one of those deaths, taken from the system clock the database's clock_timestamp() also reads.
 */
export async function kill9(victim: SparkifyProcess): Promise<Kill> {
  victim.process.kill('SIGSTOP');
  const children = childrenOf(victim.pid);
  const at = Date.now();
  victim.process.kill('SIGKILL');
  await victim.exited;
  await until(`the task processes ${children.join(', ')} of killed ${victim.role} ${victim.pid} to end`, () => children.every(dead), 30_000);
  return { role: victim.role, pid: victim.pid, at, children, deadBy: Date.now() };
}

/** The pids whose parent is `pid` (Linux: the 4th field of /proc/<pid>/stat, after the parenthesised name). */
export function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (stat?.ppid === pid) found.push(Number(entry));
  }
  return found;
}

/** Gone, or a zombie (dead, only not yet reaped by whoever inherited it). */
export function dead(pid: number): boolean {
  const stat = statOf(pid);
  return stat === undefined || stat.state === 'Z' || stat.state === 'X';
}

function statOf(pid: number): { state: string; ppid: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number(fields[1]) };
}
