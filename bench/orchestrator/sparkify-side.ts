import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { systemClock } from '../../src/core/clock.ts';
import type { SqlEngine } from '../../src/engines/engine.ts';
import { openEngine } from '../../src/engines/open-engine.ts';
import { setDagPaused } from '../../src/orchestrator/metadb/dags.ts';
import { migrate } from '../../src/orchestrator/metadb/migrate.ts';
import { SecretBox } from '../../src/orchestrator/metadb/secrets/secret-box.ts';
import { triggerDagRun } from '../../src/orchestrator/scheduler-loop/trigger-dag-run.ts';
import { runSchedulerWithExecutor } from '../../src/orchestrator/standalone/scheduler-with-executor.ts';
import type { Shape } from './shapes.ts';
import { shapeTiming, until, type ShapeTiming, type TaskTimes } from './timings.ts';

/** Where our orchestrator runs: in one process on embedded PGlite, or a scheduler and N `sparkify worker`s on Postgres. */
export type Backend = { kind: 'pglite' } | { kind: 'postgres'; workers: number };

export const backendName = (b: Backend) => (b.kind === 'pglite' ? 'PGlite, in-process' : `Postgres, ${b.workers} worker${b.workers === 1 ? '' : 's'}`);

export interface SparkifyRunOptions {
  backend: Backend;
  /** The folder of generated TypeScript DAGs (all shapes; each stays paused until its turn). */
  dagFolder: string;
  shapes: readonly Shape[];
  /** Task processes of the local executor, and of each worker. */
  slots: number;
  /** A fresh database for the Postgres backends. */
  postgresUrl?: () => Promise<string>;
  /** Passed to the workers as --poll-ms; default: theirs. */
  workerPollMs?: number;
  timeoutMs: number;
  note: (line: string) => void;
}

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'sparkify.js');

/**
 * Runs each shape in turn on one metadata database: unpause (and trigger the manual ones), wait until every run has
 * ended, then read the task instances' timestamps. The scheduler and executors are what `sparkify scheduler` and
 * `sparkify worker` run, with their defaults; only the number of task processes is set.
 */
export async function runSparkifyShapes(o: SparkifyRunOptions): Promise<ShapeTiming[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sparkify-bench-orch-'));
  const stop = new AbortController();
  const children: ChildProcess[] = [];
  let engine: SqlEngine | undefined;
  let loop: Promise<void> | undefined;
  try {
    const key = randomBytes(32);
    if (o.backend.kind === 'pglite') {
      engine = await openEngine(join(dataDir, 'metadb'), dataDir);
      await migrate(engine);
      loop = runSchedulerWithExecutor({
        engine, clock: systemClock, signal: stop.signal, dagFolder: o.dagFolder, pausedAtCreation: true,
        executor: { secrets: new SecretBox(key), dagFolder: o.dagFolder, parallelism: o.slots, onError: (e) => o.note(`executor: ${(e as Error).message}`) },
      }, (e) => o.note(`scheduler loop: ${(e as Error).message}`));
    } else {
      if (o.postgresUrl === undefined) throw new Error('a Postgres backend needs postgresUrl');
      const url = await o.postgresUrl();
      engine = await openEngine(url, dataDir);
      await migrate(engine);
      // The database URL and the key go through the environment: a command line is visible to every user (ps).
      const env = { ...process.env, SPARKIFY_METADB: url, SPARKIFY_SECRET_KEY: key.toString('hex'), SPARKIFY_DATA_DIR: dataDir };
      const start = (args: string[], label: string) => {
        const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr?.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4000)));
        child.once('exit', (code, signal) => {
          if (!stop.signal.aborted) o.note(`${label} exited early (${code ?? signal}): ${err.trim().split('\n').slice(-5).join(' | ')}`);
        });
        children.push(child);
      };
      start(['scheduler', '--dags', o.dagFolder, '--executor', 'none'], 'scheduler');
      for (let i = 0; i < o.backend.workers; i++) {
        start(['worker', '--dags', o.dagFolder, '--concurrency', String(o.slots), ...(o.workerPollMs === undefined ? [] : ['--poll-ms', String(o.workerPollMs)])], `worker ${i + 1}`);
      }
    }
    const db = engine;
    await until('the DAG files to be parsed', async () => {
      const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_dag WHERE latest_version IS NOT NULL AND dag_id = ANY($1)`, [o.shapes.map((s) => s.dagId)]);
      return rows[0]?.n === o.shapes.length;
    }, 120_000, 200);
    const results: ShapeTiming[] = [];
    for (const s of o.shapes) {
      o.note(`${backendName(o.backend)}: ${s.dagId} (${s.runs} run${s.runs === 1 ? '' : 's'} × ${s.tasks} tasks) …`);
      const startedAt = new Date();
      await db.transaction(async (tx) => {
        if (s.name !== 'catchup') await triggerDagRun(tx, { dagId: s.dagId, now: startedAt });
        await setDagPaused(tx, s.dagId, false);
      });
      await until(`the runs of ${s.dagId}`, async () => {
        const [r] = await db.query<{ runs: number; ended: number }>(
          `SELECT count(*)::int AS runs, count(*) FILTER (WHERE state IN ('success', 'failed'))::int AS ended FROM orch_dag_run WHERE dag_id = $1`, [s.dagId]);
        return r !== undefined && r.runs === s.runs && r.ended === s.runs;
        // Every 250 ms, as Airflow's side: on PGlite this poll shares the one thread with the scheduler and executor.
      }, o.timeoutMs, 250);
      const rows = await db.query<{ state: string; queued_at: unknown; start_date: unknown; end_date: unknown }>(
        'SELECT state, queued_at, start_date, end_date FROM orch_task_instance WHERE dag_id = $1', [s.dagId]);
      const t = shapeTiming(s, startedAt, rows.map((r): TaskTimes => ({ state: r.state, queued: date(r.queued_at), start: date(r.start_date), end: date(r.end_date) })));
      o.note(`  ${t.wallSeconds.toFixed(2)} s, ${t.succeeded}/${t.tasks} succeeded, queued → running p50 ${t.startLatencyMs.p50} ms`);
      results.push(t);
      await db.transaction((tx) => setDagPaused(tx, s.dagId, true));
    }
    return results;
  } finally {
    stop.abort();
    await loop;
    await Promise.all(children.map(stopChild));
    await engine?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string | Date));

/** SIGTERM (a worker finishes what runs, a scheduler ends its tick); SIGKILL if it is still there after 30 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
