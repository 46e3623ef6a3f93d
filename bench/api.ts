/**
 * `npm run bench:api`: issue 17 §4's API and UI benchmarks, with Apache Airflow 3's API server measured in the same
 * run on the same PostgreSQL server (a database each). Both metadbs hold the same DAG: `big`, 100 no-op tasks in ten
 * lanes (t010 after t000, …), 1000 finished hourly runs from 2018-11-01, each with its 100 task instances (one try;
 * every 97th failed) — 100,000 rows, inserted with SQL (bench/README.md says how, on each side). Then, per system,
 * after a warm-up, `--requests` sequential requests (and `--concurrency` clients at once), taken in `--rounds` that
 * alternate which system goes first, of:
 *   grid     what each web UI fetches to draw the grid of the latest 25 runs:
 *            ours     GET /ui/dags/big/grid?limit=25 (tasks, runs and every cell in one answer);
 *            Airflow  GET /ui/grid/structure/big and /ui/grid/runs/big (limit=25, order_by=-run_after) at once, as its
 *                     UI does, then GET /ui/grid/ti_summaries/big?run_ids=… for those 25 runs (NDJSON, read to the end)
 *   trigger  POST /api/v2/dags/big/dagRuns {"logical_date": <distinct per request>, "conf": {}} (the DAG is paused on
 *            both sides, so nothing runs the new runs)
 * with a JWT from each one's POST /auth/token (Airflow: the simple auth manager, a user `bench` with role admin; ours:
 * `bench`, role admin). Plus the web UI's figure: the grid of `big` drawn in headless Chromium from our API server on
 * this Postgres (bench/ui/grid-draw.ts). Targets: grid and trigger ≥ 10× faster than Airflow's; the grid drawn < 1 s.
 *
 *   npx node bench/api.ts [--requests 200] [--rounds 4] [--warmup 20] [--concurrency 4] [--ui-runs 25,100] [--ui-repeat 5]
 *                         [--no-airflow] [--no-ui] [--chromium PATH] [--json]
 *
 * Airflow runs as bench/orchestrator.ts starts it (scripts/servers/airflow-server.ts: api-server with its default
 * single worker, scheduler, dag-processor, LocalExecutor, all on 127.0.0.1), here with its simple auth manager's
 * password login instead of everyone-an-admin, and the DAG file parsed once. Our API server runs in this process (its
 * client's work counts against it), on a PostgresEngine with the pool the CLI uses. Figures: bench/README.md.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startAirflow, type AirflowServer } from '../scripts/servers/airflow-server.ts';
import { airflowVersion } from '../scripts/servers/airflow-install.ts';
import { hashPassword } from '../src/api/auth/passwords.ts';
import { buildApiServer } from '../src/api/server.ts';
import { systemClock } from '../src/core/clock.ts';
import { PostgresEngine } from '../src/engines/postgres/postgres-engine.ts';
import { migrate } from '../src/orchestrator/metadb/migrate.ts';
import { createUser } from '../src/orchestrator/metadb/users.ts';
import { benchOutput, median } from './support/bench-output.ts';
import { startBenchServer, type BenchDatabase } from './support/bench-server.ts';
import { loadBigDag, measureGridDraw, type GridDrawFigure } from './ui/grid-draw.ts';

const dagId = 'big';
const tasks = 100;
const runs = 1000;
const gridRuns = 25;
const user = { username: 'bench', password: 'bench-password' };
const targets = { vsAirflow: 10, drawMs: 1000 };

export interface Latencies {
  /** Every request's latency, ms, in the order taken. */
  ms: number[];
  p50: number;
  p99: number;
  /** Requests per second over the whole batch. */
  perSecond: number;
}

export interface CallFigures {
  call: string;
  mode: string;
  ours: Latencies;
  airflow?: Latencies;
  /** Airflow's grid, per call of the three (sequential mode only). */
  airflowParts?: Record<string, Latencies>;
}

export interface ApiBenchResult {
  date: string;
  loadAverage: number[];
  cpus: number;
  airflowVersion: string;
  requests: number;
  concurrency: number;
  load: { oursMs: number; airflowMs?: number };
  calls: CallFigures[];
  ui: GridDrawFigure[];
}

interface Client {
  name: string;
  grid(): Promise<Record<string, number>>;
  trigger(): Promise<void>;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

function latencies(ms: number[], wallMs: number): Latencies {
  return { ms, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), perSecond: ms.length / (wallMs / 1000) };
}

interface Sample {
  ms: number[];
  parts: Record<string, number[]>;
  wallMs: number;
}

/** `n` calls by `concurrency` clients, each waiting for its answer before the next; per-call latencies and parts. */
async function measure(n: number, concurrency: number, call: () => Promise<Record<string, number>>, into: Sample = { ms: [], parts: {}, wallMs: 0 }): Promise<Sample> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      next++;
      const t0 = performance.now();
      const split = await call();
      into.ms.push(performance.now() - t0);
      for (const [k, v] of Object.entries(split)) (into.parts[k] ??= []).push(v);
    }
  }));
  into.wallMs += performance.now() - started;
  return into;
}

async function http(method: string, url: string, token: string | undefined, body?: unknown): Promise<Response> {
  const res = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  return res;
}

async function login(base: string): Promise<string> {
  const res = await http('POST', `${base}/auth/token`, undefined, user);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Distinct logical dates per trigger (hourly from 2030), the same sequence on both sides. */
function triggerBody(i: number): { logical_date: string; conf: Record<string, never> } {
  return { logical_date: new Date(Date.UTC(2030, 0, 1) + i * 3_600_000).toISOString(), conf: {} };
}

function sparkifyClient(base: string, token: string): Client {
  let triggers = 0;
  return {
    name: 'Sparkify',
    async grid() {
      const res = await http('GET', `${base}/ui/dags/${dagId}/grid?limit=${gridRuns}`, token);
      const grid = (await res.json()) as { cells: unknown[] };
      if (grid.cells.length !== gridRuns * tasks) throw new Error(`our grid has ${grid.cells.length} cells, not ${gridRuns * tasks}`);
      return {};
    },
    async trigger() {
      await (await http('POST', `${base}/api/v2/dags/${dagId}/dagRuns`, token, triggerBody(triggers++))).arrayBuffer();
    },
  };
}

function airflowClient(base: string, token: string): Client {
  let triggers = 0;
  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const value = await fn();
    return [value, performance.now() - t0];
  };
  return {
    name: 'Airflow',
    async grid() {
      const query = `limit=${gridRuns}&order_by=-run_after`;
      const [[, structureMs], [gridRunList, runsMs]] = await Promise.all([
        timed(async () => (await http('GET', `${base}/ui/grid/structure/${dagId}?${query}`, token)).json() as Promise<unknown[]>),
        timed(async () => (await http('GET', `${base}/ui/grid/runs/${dagId}?${query}`, token)).json() as Promise<{ run_id: string }[]>),
      ]);
      const ids = new URLSearchParams(gridRunList.map((r): [string, string] => ['run_ids', r.run_id]));
      const [lines, summariesMs] = await timed(async () => (await (await http('GET', `${base}/ui/grid/ti_summaries/${dagId}?${ids}`, token)).text()).trim().split('\n'));
      const cells = lines.reduce((n, line) => n + (JSON.parse(line) as { task_instances: unknown[] }).task_instances.length, 0);
      if (gridRunList.length !== gridRuns || cells !== gridRuns * tasks) throw new Error(`Airflow's grid has ${gridRunList.length} runs and ${cells} cells`);
      return { structure: structureMs, runs: runsMs, ti_summaries: summariesMs };
    },
    async trigger() {
      await (await http('POST', `${base}/api/v2/dags/${dagId}/dagRuns`, token, triggerBody(triggers++))).arrayBuffer();
    },
  };
}

/** The same DAG as bench/ui/big-dag.ts, for Airflow's dag-processor to parse (and store as dag_version + serialized_dag). */
function airflowDagFile(): string {
  return `# Generated by bench/api.ts: the shape of bench/ui/big-dag.ts.
import pendulum
from airflow.sdk import DAG
from airflow.providers.standard.operators.empty import EmptyOperator

with DAG(dag_id='${dagId}', schedule='0 * * * *', start_date=pendulum.datetime(2018, 11, 1, tz='UTC'), catchup=False,
         max_active_runs=16, max_active_tasks=16, is_paused_upon_creation=True):
    ts = [EmptyOperator(task_id=f't{i:03d}') for i in range(${tasks})]
    for i in range(10, ${tasks}):
        ts[i - 10] >> ts[i]
`;
}

/**
 * The runs and task instances of bench/ui/grid-draw.ts's loadBigDag, as rows of Airflow's own tables: dag_run (created
 * by the DAG's one dag_version, run_after = the end of the data interval) and task_instance (map_index -1, one try,
 * default_pool), set-based SQL once the dag-processor has stored the DAG.
 */
async function loadAirflowRuns(databaseUrl: string): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('BEGIN');
    await db.query(`INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, data_interval_start, data_interval_end, run_after, queued_at, start_date, end_date,
        clear_number, conf, triggered_by, created_dag_version_id, log_template_id, created_at, updated_at)
      SELECT $1::varchar, 'scheduled__' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00', 'scheduled', 'success', t, t, t + interval '1 hour', t + interval '1 hour',
             t, t, t + interval '10 minutes', 0, '{}'::jsonb, 'TIMETABLE', v.id, (SELECT max(id) FROM log_template), now(), now()
      FROM generate_series(timestamptz '2018-11-01T00:00:00Z', timestamptz '2018-11-01T00:00:00Z' + ($2::int - 1) * interval '1 hour', interval '1 hour') AS t,
           (SELECT id FROM dag_version WHERE dag_id = $1::varchar ORDER BY version_number DESC LIMIT 1) AS v`, [dagId, runs]);
    await db.query(`INSERT INTO task_instance (id, task_id, dag_id, run_id, map_index, start_date, end_date, duration, state, try_number, max_tries, hostname, unixname,
        pool, pool_slots, queue, priority_weight, operator, custom_operator_name, queued_dttm, scheduled_dttm, dag_version_id, task_display_name, updated_at)
      SELECT gen_random_uuid(), 't' || lpad(i::text, 3, '0'), $1::varchar, r.run_id, -1, r.start_date + i * interval '5 seconds', r.start_date + i * interval '5 seconds' + interval '4 seconds', 4,
             CASE WHEN (i * 31 + extract(epoch FROM r.logical_date)::bigint / 3600) % 97 = 0 THEN 'failed' ELSE 'success' END, 1, 0, 'localhost', 'airflow',
             'default_pool', 1, 'default', 1, 'EmptyOperator', 'EmptyOperator', r.start_date, r.start_date, r.created_dag_version_id, 't' || lpad(i::text, 3, '0'), now()
      FROM dag_run r CROSS JOIN generate_series(0, $2::int - 1) AS i WHERE r.dag_id = $1::varchar`, [dagId, tasks]);
    await db.query('COMMIT');
    await db.query('ANALYZE dag_run; ANALYZE task_instance');
  } finally {
    await db.end();
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface ApiBenchOptions {
  requests: number;
  /** The requests of a row are taken in this many rounds, alternating which system goes first. */
  rounds: number;
  warmup: number;
  concurrency: number;
  airflow: boolean;
  ui: boolean;
  uiRuns: string[];
  uiRepeat: number;
  chromium?: string | undefined;
  note: (line: string) => void;
}

export async function apiBench(o: ApiBenchOptions): Promise<ApiBenchResult> {
  const server = await startBenchServer();
  const databases: BenchDatabase[] = [];
  const work = await mkdtemp(join(tmpdir(), 'sparkify-bench-api-'));
  let airflow: AirflowServer | undefined;
  let engine: PostgresEngine | undefined;
  let app: Awaited<ReturnType<typeof buildApiServer>> | undefined;
  const ui: GridDrawFigure[] = [];
  try {
    // Ours: migrate, the DAG and its runs, a user; the API server on a free port.
    const oursDb = await server.freshDatabase('api_sparkify');
    databases.push(oursDb);
    engine = new PostgresEngine({ connectionString: oursDb.url });
    await migrate(engine);
    let t0 = performance.now();
    await loadBigDag(engine, { dagId, tasks, runs });
    await engine.exec('ANALYZE orch_dag_run; ANALYZE orch_task_instance');
    const oursLoadMs = performance.now() - t0;
    o.note(`Sparkify metadb: ${runs} runs × ${tasks} tasks in ${(oursLoadMs / 1000).toFixed(1)} s`);
    await createUser(engine, { username: user.username, role: 'admin', passwordHash: await hashPassword(user.password) }, new Date());
    app = await buildApiServer({ engine, clock: systemClock });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const oursBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const clients: Client[] = [sparkifyClient(oursBase, await login(oursBase))];

    let airflowLoadMs: number | undefined;
    if (o.airflow) {
      const afDb = await server.freshDatabase('api_airflow');
      databases.push(afDb);
      const dags = join(work, 'dags');
      await mkdir(dags);
      await writeFile(join(dags, `${dagId}.py`), airflowDagFile());
      const passwords = join(work, 'passwords.json');
      await writeFile(passwords, JSON.stringify({ [user.username]: user.password }));
      o.note('Airflow: db migrate, then api-server, scheduler and dag-processor …');
      airflow = await startAirflow({
        databaseUrl: afDb.url, dagsFolder: dags, parallelism: 2, log: o.note,
        settings: {
          AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS: 'False',
          AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: `${user.username}:admin`,
          AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE: passwords,
          // Parsed once: its default re-parse every 30 s is a Python process's burst of CPU on a 2-core machine, in the
          // middle of either system's measurement.
          AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL: '3600',
        },
      });
      const db = new pg.Client({ connectionString: afDb.url });
      await db.connect();
      try {
        await until("Airflow's dag-processor to store the DAG", async () =>
          ((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM serialized_dag WHERE dag_id = $1', [dagId])).rows[0]?.n ?? 0) > 0, 300_000);
      } finally {
        await db.end();
      }
      t0 = performance.now();
      await loadAirflowRuns(afDb.url);
      airflowLoadMs = performance.now() - t0;
      o.note(`Airflow metadb: ${runs} runs × ${tasks} tasks in ${(airflowLoadMs / 1000).toFixed(1)} s`);
      const afBase = airflow.apiUrl.replace(/\/api\/v2$/, '');
      clients.push(airflowClient(afBase, await login(afBase)));
    }

    const calls: CallFigures[] = [];
    for (const [call, pick] of [['grid', (c: Client) => c.grid()], ['trigger', async (c: Client) => { await c.trigger(); return {}; }]] as const) {
      for (const concurrency of o.concurrency > 1 ? [1, o.concurrency] : [1]) {
        const mode = concurrency === 1 ? 'sequential' : `${concurrency} concurrent`;
        const figures: Partial<CallFigures> & { call: string; mode: string } = { call, mode };
        // Rounds alternate the systems (ours first, then Airflow first, …), so that a change in the machine's other load
        // falls on both.
        const samples = clients.map(() => ({ ms: [], parts: {}, wallMs: 0 }) as Sample);
        for (const client of clients) {
          o.note(`${client.name}: ${call}, ${mode}: ${o.warmup} warm-up …`);
          await measure(o.warmup, concurrency, () => pick(client));
        }
        for (let round = 0; round < o.rounds; round++) {
          const n = Math.floor(o.requests / o.rounds) + (round < o.requests % o.rounds ? 1 : 0);
          const order = round % 2 === 0 ? clients.map((_, i) => i) : clients.map((_, i) => i).reverse();
          for (const i of order) await measure(n, concurrency, () => pick(clients[i] as Client), samples[i]);
        }
        for (const [i, client] of clients.entries()) {
          const sample = samples[i] as Sample;
          const all = latencies(sample.ms, sample.wallMs);
          if (client.name === 'Sparkify') figures.ours = all;
          else {
            figures.airflow = all;
            if (concurrency === 1 && Object.keys(sample.parts).length > 0) {
              figures.airflowParts = Object.fromEntries(Object.entries(sample.parts).map(([k, v]) => [k, latencies(v, sample.wallMs)]));
            }
          }
          o.note(`  ${client.name}, ${call}, ${mode}: p50 ${all.p50.toFixed(1)} ms, p99 ${all.p99.toFixed(1)} ms, ${all.perSecond.toFixed(1)}/s (${o.requests} in ${o.rounds} rounds)`);
        }
        calls.push(figures as CallFigures);
      }
      // The UI's figure while the latest 25 runs are still the loaded ones (the triggers add newer runs).
      if (call === 'grid' && o.ui) {
        o.note(`web UI: the grid of ${dagId} in headless Chromium (${o.uiRuns.join(', ')} runs, ${o.uiRepeat} loads each) …`);
        ui.push(...(await measureGridDraw({ base: oursBase, ...user, dagId, tasks, runChoices: o.uiRuns, repeat: o.uiRepeat, chromium: o.chromium })));
      }
    }
    return {
      date: new Date().toISOString(), loadAverage: loadavg().map((x) => Number(x.toFixed(2))), cpus: availableParallelism(), airflowVersion,
      requests: o.requests, concurrency: o.concurrency, load: { oursMs: oursLoadMs, ...(airflowLoadMs === undefined ? {} : { airflowMs: airflowLoadMs }) }, calls, ui,
    };
  } finally {
    await app?.close().catch(() => undefined);
    await engine?.close().catch(() => undefined);
    await airflow?.stop().catch(() => undefined);
    for (const d of databases) await d.drop().catch(() => undefined);
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

const f1 = (x: number) => x.toFixed(1);

export function printApiBench(r: ApiBenchResult, out: ReturnType<typeof benchOutput>): void {
  out.table(`API, DAG of ${tasks} tasks × ${runs} runs on Postgres, ${r.requests} requests per row after warm-up (${r.date}, load average ${r.loadAverage.join(' ')}, ${r.cpus} CPUs)`,
    r.calls.flatMap((c) => {
      const ratio50 = c.airflow ? c.airflow.p50 / c.ours.p50 : Number.NaN;
      const ratio99 = c.airflow ? c.airflow.p99 / c.ours.p99 : Number.NaN;
      const rows: Record<string, unknown>[] = [{
        call: c.call, mode: c.mode,
        'ours p50 ms': f1(c.ours.p50), 'ours p99 ms': f1(c.ours.p99), 'ours req/s': f1(c.ours.perSecond),
        'Airflow p50 ms': c.airflow ? f1(c.airflow.p50) : '—', 'Airflow p99 ms': c.airflow ? f1(c.airflow.p99) : '—', 'Airflow req/s': c.airflow ? f1(c.airflow.perSecond) : '—',
        'Airflow/ours p50': c.airflow ? `${f1(ratio50)}×` : '—', 'Airflow/ours p99': c.airflow ? `${f1(ratio99)}×` : '—',
        [`≥ ${targets.vsAirflow}×`]: c.airflow ? (Math.min(ratio50, ratio99) >= targets.vsAirflow ? 'yes' : ratio50 >= targets.vsAirflow ? 'p50 only' : 'no') : '—',
      }];
      for (const [part, l] of Object.entries(c.airflowParts ?? {})) {
        rows.push({ call: `  Airflow ${part}`, mode: c.mode, 'Airflow p50 ms': f1(l.p50), 'Airflow p99 ms': f1(l.p99) });
      }
      return rows;
    }));
  if (r.ui.length > 0) {
    out.table(`Web UI: the grid drawn in headless Chromium (our API server on this Postgres), target < ${targets.drawMs} ms`, r.ui.map((f) => ({
      runs: f.runs, loads: f.drawMs.length, 'drawn median ms': Math.round(median(f.drawMs)), 'worst ms': Math.round(Math.max(...f.drawMs)),
      '/ui grid endpoint median ms': f1(median(f.apiMs)), [`< ${targets.drawMs} ms`]: Math.max(...f.drawMs) < targets.drawMs ? 'yes' : median(f.drawMs) < targets.drawMs ? 'median only' : 'no',
    })));
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '200' }, rounds: { type: 'string', default: '4' }, warmup: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '4' },
      'ui-runs': { type: 'string', default: '25,100' }, 'ui-repeat': { type: 'string', default: '5' }, chromium: { type: 'string' },
      'no-airflow': { type: 'boolean', default: false }, 'no-ui': { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
    },
  });
  const count = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: ${JSON.stringify(v)} is not a positive whole number`);
    return n;
  };
  const out = benchOutput(values.json);
  const result = await apiBench({
    requests: count('requests', values.requests), rounds: count('rounds', values.rounds), warmup: count('warmup', values.warmup), concurrency: count('concurrency', values.concurrency),
    airflow: !values['no-airflow'], ui: !values['no-ui'], uiRuns: values['ui-runs'].split(','), uiRepeat: count('ui-repeat', values['ui-repeat']),
    chromium: values.chromium, note: out.note,
  });
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else printApiBench(result, out);
}
