import { fork } from 'node:child_process';
import { bounded } from '../../core/errors.ts';
import type { Clock } from '../../core/clock.ts';
import type { SqlEngine } from '../../engines/engine.ts';
import { claimCallbackRequests, finishCallbackRequest, type ClaimedCallback } from '../metadb/callback-requests.ts';
import { listDeadlineMisses } from '../metadb/deadlines.ts';
import type { CallbackJob, CallbackReply } from './callback-messages.ts';

const childScript = new URL('./callback-child.ts', import.meta.url);

export interface CallbackRunOptions {
  dagFolder: string;
  /** Each callback is killed after this long (default 60 s). */
  timeoutMs?: number;
  /** At most this many per call (default 20): the rest wait for the next tick. */
  limit?: number;
}

/**
 * Runs pending callback requests (DAG-run success/failure, deadline misses), each once, each in a child process of
 * its own that imports the DAG file (the scheduler never runs user code), within a time limit. Returns how each went.
 * A callback's failure is kept on its request (state failed, the error), never thrown: it must not stop the loop.
 */
export async function runCallbackRequests(engine: SqlEngine, clock: Clock, options: CallbackRunOptions): Promise<{ id: number; kind: string; ok: boolean; error: string | null }[]> {
  const claimed = await engine.transaction((tx) => claimCallbackRequests(tx, options.limit ?? 20, clock.now()));
  const results = [];
  for (const c of claimed) {
    const job: CallbackJob = { type: 'run', file: c.file, dagId: c.dagId, taskId: c.taskId, kind: c.kind, context: await contextOf(engine, c) };
    const outcome = await runInChild(options.dagFolder, job, options.timeoutMs ?? 60_000);
    await finishCallbackRequest(engine, c.id, outcome, clock.now());
    results.push({ id: c.id, kind: c.kind, ...outcome });
  }
  return results;
}

async function contextOf(engine: SqlEngine, c: ClaimedCallback): Promise<Record<string, unknown>> {
  const r = c.run;
  const base = { dagId: c.dagId, runId: c.runId, logicalDate: r.logicalDate.toISOString(), dataIntervalStart: r.dataIntervalStart.toISOString(), dataIntervalEnd: r.dataIntervalEnd.toISOString() };
  if (c.kind !== 'deadline_miss') {
    return { ...base, state: c.kind === 'dag_success' ? 'success' : 'failed', startDate: r.startDate?.toISOString() ?? null, endDate: r.endDate?.toISOString() ?? null, conf: r.conf };
  }
  const miss = (await listDeadlineMisses(engine, { dagId: c.dagId, runId: c.runId, limit: 1000 })).find((m) => m.taskId === c.taskId);
  return { ...base, taskId: c.taskId, reference: miss?.reference ?? null, deadline: miss?.deadline.toISOString() ?? null };
}

function runInChild(folder: string, job: CallbackJob, timeoutMs: number): Promise<{ ok: boolean; error: string | null }> {
  // execArgv: [] — the scheduler may run under --test or --inspect flags a DAG file must not inherit.
  const proc = fork(childScript, [folder], { execPath: process.execPath, execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: { ok: boolean; error: string | null }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      proc.kill('SIGKILL');
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ ok: false, error: `the callback did not end within ${timeoutMs} ms: its process was killed` }), timeoutMs);
    proc.on('message', (m: CallbackReply) => {
      if (m.type === 'ready') proc.send(job);
      else if (m.type === 'done') settle({ ok: true, error: null });
      else settle({ ok: false, error: bounded(m.message, 2000) });
    });
    proc.on('exit', (code, signal) => settle({ ok: false, error: `its process ${signal !== null ? `was killed by ${signal}` : `exited with code ${code}`}${stderr ? `: ${bounded(stderr.trim(), 1000)}` : ''}` }));
    proc.on('error', (e) => settle({ ok: false, error: e.message }));
  });
}
