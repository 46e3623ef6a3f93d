/**
 * `node bench/orchestrator.ts`: the orchestrator's benchmarks of issue 15 §10, with Apache Airflow 3 measured as the
 * baseline in the same run on the same PostgreSQL server. Shapes (bench/orchestrator/shapes.ts; every task a no-op
 * function really started as a task try on both sides):
 *   noop     one run of N independent tasks (wall time)                    --noop-tasks 1000
 *   chain    one run of N tasks in a line (end to end, and per task)       --chain-tasks 100
 *   catchup  R hourly runs of a 5-task chain (wall time, and per run)      --catchup-runs 8760 (ours), --airflow-catchup-runs 24
 * and the task start latency (queued → running, p50 and p99) of every shape, the chain's being the one without a queue.
 * Backends (--backends): pglite (scheduler and local executor in this process, on embedded PGlite), postgres-1 and
 * postgres-4 (a `sparkify scheduler --executor none` and 1 or 4 `sparkify worker` processes); Airflow (LocalExecutor,
 * api-server + scheduler + dag-processor on 127.0.0.1) unless --no-airflow. --slots: task processes of our executor and
 * of each worker, and Airflow's core.parallelism (default 4). Timings come from each system's own task-instance rows.
 *   --shapes noop,chain,catchup   --pg-url postgres://… (default: $SPARKIFY_TEST_PG_URL, else a throwaway server)
 *   --worker-poll-ms N (default: the worker's)   --timeout-s 3600 (per shape)   --json
 * Airflow needs hours for 8760 × 5 runs, so it runs a small catchup and the two are compared per run.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runAirflowShapes } from './orchestrator/airflow-side.ts';
import { shape, shapeNames, typescriptDag, type ShapeName } from './orchestrator/shapes.ts';
import { backendName, runSparkifyShapes, type Backend } from './orchestrator/sparkify-side.ts';
import type { ShapeTiming } from './orchestrator/timings.ts';
import { benchOutput, type BenchOutput } from './support/bench-output.ts';
import { startBenchServer, type BenchServer } from './support/bench-server.ts';

export interface OrchestratorBenchOptions {
  shapes: ShapeName[];
  backends: Backend[];
  airflow: boolean;
  noopTasks: number;
  chainTasks: number;
  catchupRuns: number;
  airflowCatchupRuns: number;
  slots: number;
  workerPollMs?: number;
  timeoutMs: number;
  pgUrl?: string;
}

/** Issue 15's targets at full size; smaller runs are held to them per unit (per task, per run). */
const targets = { startP50Ms: 20, chainSeconds: 2, chainTasks: 100, noopSeconds: 5, noopTasks: 1000, catchupSeconds: 120, catchupRuns: 8760, vsAirflow: 20 };

export interface SystemTimings {
  system: string;
  timings: ShapeTiming[];
}

export async function orchestratorBench(o: OrchestratorBenchOptions, out: BenchOutput, shared?: BenchServer): Promise<SystemTimings[]> {
  // A shared server (npm run bench) first, then the one --pg-url names, else a throwaway one of our own.
  const server = shared ?? (o.pgUrl ? undefined : await startBenchServer());
  const adminUrl = server?.server.url ?? (o.pgUrl as string);
  const made: string[] = [];
  const freshDatabase = async (label: string) => {
    const name = `bench_orch_${label}_${randomBytes(3).toString('hex')}`;
    await admin(adminUrl, `CREATE DATABASE ${name}`);
    made.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const work = await mkdtemp(join(tmpdir(), 'sparkify-bench-orchestrator-'));
  const sizeOf = (name: ShapeName, airflow: boolean) =>
    name === 'noop' ? o.noopTasks : name === 'chain' ? o.chainTasks : airflow ? o.airflowCatchupRuns : o.catchupRuns;
  const ours = o.shapes.map((n) => shape(n, sizeOf(n, false)));
  const theirs = o.shapes.map((n) => shape(n, sizeOf(n, true)));
  const results: SystemTimings[] = [];
  try {
    const tsFolder = join(work, 'dags-ts');
    await mkdir(tsFolder);
    for (const s of ours) await writeFile(join(tsFolder, `${s.dagId}.ts`), typescriptDag(s));
    for (const backend of o.backends) {
      const timings = await runSparkifyShapes({
        backend, dagFolder: tsFolder, shapes: ours, slots: o.slots, postgresUrl: () => freshDatabase(`w${backend.kind === 'postgres' ? backend.workers : 0}`),
        ...(o.workerPollMs === undefined ? {} : { workerPollMs: o.workerPollMs }), timeoutMs: o.timeoutMs, note: out.note,
      });
      results.push({ system: `Sparkify, ${backendName(backend)}`, timings });
    }
    if (o.airflow) {
      const pyFolder = join(work, 'dags-py');
      await mkdir(pyFolder);
      const timings = await runAirflowShapes({ databaseUrl: await freshDatabase('airflow'), dagFolder: pyFolder, shapes: theirs, slots: o.slots, timeoutMs: o.timeoutMs, note: out.note });
      results.push({ system: 'Airflow 3.3.2, LocalExecutor, Postgres', timings });
    }
  } finally {
    for (const name of made) await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
    if (!shared) await server?.stop();
  }
  printReport(results, o, out);
  return results;
}

/** The figure a shape is judged by, per unit so that sizes may differ: s per task (noop, chain), s per run (catchup). */
function perUnit(t: ShapeTiming): number {
  return t.shape === 'catchup' ? t.wallSeconds / t.runs : t.wallSeconds / t.tasks;
}

function printReport(results: SystemTimings[], o: OrchestratorBenchOptions, out: BenchOutput): void {
  out.table(`Orchestrator shapes (${o.slots} task slots per executor or worker; ${availableParallelism()} CPUs)`, results.flatMap((r) => r.timings.map((t) => ({
    system: r.system,
    shape: `${t.shape} ${t.shape === 'catchup' ? `${t.runs} runs × 5` : `${t.tasks} tasks`}`,
    ok: `${t.succeeded}/${t.tasks}`,
    'wall s': fmt(t.wallSeconds, 2),
    'per task s': fmt(t.wallSeconds / t.tasks, 3),
    'per run s': t.shape === 'catchup' ? fmt(t.wallSeconds / t.runs, 3) : '',
    'tasks/s': fmt(t.tasks / t.wallSeconds, 1),
    'queued→running p50 ms': Math.round(t.startLatencyMs.p50),
    'p99 ms': Math.round(t.startLatencyMs.p99),
  }))));
  const airflow = results.find((r) => r.system.startsWith('Airflow'));
  const rows: Record<string, unknown>[] = [];
  for (const r of results) {
    if (r === airflow) continue;
    for (const t of r.timings) {
      const base = airflow?.timings.find((a) => a.shape === t.shape);
      const ratio = base ? perUnit(base) / perUnit(t) : Number.NaN;
      const [target, goal] = targetOf(t);
      rows.push({
        system: r.system, shape: t.shape, ours: describe(t), 'Airflow': base ? describe(base) : '—',
        'vs Airflow': base ? `${fmt(ratio, 1)}×` : '—', [`≥ ${targets.vsAirflow}×`]: base ? yesNo(ratio >= targets.vsAirflow) : '—',
        target, 'target met': yesNo(goal),
      });
    }
    const latency = r.timings.find((t) => t.shape === 'chain') ?? r.timings[0];
    if (latency) {
      const base = airflow?.timings.find((a) => a.shape === latency.shape);
      const ratio = base ? base.startLatencyMs.p50 / latency.startLatencyMs.p50 : Number.NaN;
      rows.push({
        system: r.system, shape: `start latency (${latency.shape})`, ours: `p50 ${Math.round(latency.startLatencyMs.p50)} ms, p99 ${Math.round(latency.startLatencyMs.p99)} ms`,
        'Airflow': base ? `p50 ${Math.round(base.startLatencyMs.p50)} ms, p99 ${Math.round(base.startLatencyMs.p99)} ms` : '—',
        'vs Airflow': base ? `${fmt(ratio, 1)}×` : '—', [`≥ ${targets.vsAirflow}×`]: base ? yesNo(ratio >= targets.vsAirflow) : '—',
        target: `p50 < ${targets.startP50Ms} ms`, 'target met': yesNo(latency.startLatencyMs.p50 < targets.startP50Ms),
      });
    }
  }
  out.table('Against Airflow (per task, or per run for the catchup) and issue 15\'s targets (per unit when a run is smaller than the target\'s size)', rows);
}

function describe(t: ShapeTiming): string {
  if (t.shape === 'catchup') return `${fmt(t.wallSeconds, 1)} s for ${t.runs} runs (${fmt(t.wallSeconds / t.runs, 3)} s/run)`;
  return `${fmt(t.wallSeconds, 2)} s for ${t.tasks} (${fmt(t.wallSeconds / t.tasks, 3)} s/task)`;
}

function targetOf(t: ShapeTiming): [string, boolean] {
  const per = perUnit(t);
  if (t.shape === 'noop') return [`${targets.noopTasks} tasks < ${targets.noopSeconds} s`, per < targets.noopSeconds / targets.noopTasks];
  if (t.shape === 'chain') return [`${targets.chainTasks}-task chain < ${targets.chainSeconds} s`, per < targets.chainSeconds / targets.chainTasks];
  return [`${targets.catchupRuns} × 5 < ${targets.catchupSeconds} s`, per < targets.catchupSeconds / targets.catchupRuns];
}

const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const yesNo = (ok: boolean) => (ok ? 'yes' : 'NO');

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function parseOrchestratorArgs(args: string[]): OrchestratorBenchOptions & { json: boolean } {
  const { values } = parseArgs({
    args,
    options: {
      shapes: { type: 'string', default: shapeNames.join(',') },
      backends: { type: 'string', default: 'pglite,postgres-1,postgres-4' },
      'no-airflow': { type: 'boolean', default: false },
      'noop-tasks': { type: 'string', default: '1000' },
      'chain-tasks': { type: 'string', default: '100' },
      'catchup-runs': { type: 'string', default: '8760' },
      'airflow-catchup-runs': { type: 'string', default: '24' },
      slots: { type: 'string', default: '4' },
      'worker-poll-ms': { type: 'string' },
      'timeout-s': { type: 'string', default: '3600' },
      'pg-url': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const count = (name: string, v: string) => {
    const n = Number(v.replaceAll('_', ''));
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, not ${JSON.stringify(v)}`);
    return n;
  };
  const shapes = values.shapes.split(',').filter(Boolean) as ShapeName[];
  for (const s of shapes) if (!shapeNames.includes(s)) throw new Error(`--shapes: ${JSON.stringify(s)} is none of ${shapeNames.join(', ')}`);
  const backends = values.backends.split(',').filter(Boolean).map((b): Backend => {
    if (b === 'pglite') return { kind: 'pglite' };
    const m = /^postgres-(\d+)$/.exec(b);
    if (!m) throw new Error(`--backends: ${JSON.stringify(b)} is none of pglite, postgres-N (N workers)`);
    return { kind: 'postgres', workers: count('backends', m[1] as string) };
  });
  const pgUrl = values['pg-url'] ?? (process.env.SPARKIFY_TEST_PG_URL || undefined);
  return {
    shapes, backends, airflow: !values['no-airflow'],
    noopTasks: count('noop-tasks', values['noop-tasks']), chainTasks: count('chain-tasks', values['chain-tasks']),
    catchupRuns: count('catchup-runs', values['catchup-runs']), airflowCatchupRuns: count('airflow-catchup-runs', values['airflow-catchup-runs']),
    slots: count('slots', values.slots), timeoutMs: count('timeout-s', values['timeout-s']) * 1000,
    ...(values['worker-poll-ms'] === undefined ? {} : { workerPollMs: count('worker-poll-ms', values['worker-poll-ms']) }),
    ...(pgUrl === undefined ? {} : { pgUrl }),
    json: values.json,
  };
}

if (import.meta.main) {
  const options = parseOrchestratorArgs(process.argv.slice(2));
  const out = benchOutput(options.json);
  const results = await orchestratorBench(options, out);
  if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}
