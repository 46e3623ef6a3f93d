/**
 * The web UI's grid, drawn in a real browser (issue 17 §4's UI figure): a DAG of 100 tasks with 1000 finished runs
 * (100,000 task instances) in an in-memory PGlite metadb, the API server on a free port, headless Chromium. For each
 * number of runs the grid offers, the time from navigating to the grid until every cell is in the DOM (median and
 * worst of `--repeat` loads), and the /ui grid endpoint's own latency for comparison. Target: < 1 s.
 *
 *   npx node bench/ui/grid-draw.ts [--chromium PATH] [--repeat 5] [--runs 25,100,365]
 *
 * The browser is $SPARKIFY_TEST_CHROMIUM or what scripts/servers/chromium.ts finds (or installs).
 * loadBigDag() and measureGridDraw() are also used by bench/api.ts (the same figure on Postgres).
 */
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ensureChromium } from '../../scripts/servers/chromium.ts';
import { ensureUiBuilt } from '../../scripts/build-ui.ts';
import { hashPassword } from '../../src/api/auth/passwords.ts';
import { buildApiServer } from '../../src/api/server.ts';
import { systemClock } from '../../src/core/clock.ts';
import type { SqlEngine } from '../../src/engines/engine.ts';
import { PgliteEngine } from '../../src/engines/pglite/pglite-engine.ts';
import { serializedDagVersion } from './big-dag.ts';
import { migrate } from '../../src/orchestrator/metadb/migrate.ts';
import { upsertDagVersion } from '../../src/orchestrator/metadb/dags.ts';
import { createUser } from '../../src/orchestrator/metadb/users.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ms = (x: number) => `${x.toFixed(0)} ms`;

/**
 * DAG `dagId` of `tasks` tasks (big-dag.ts) with `runs` hourly runs from 2018-11-01, each with its task instances and
 * one try each; every 97th instance failed. Set-based SQL into a migrated metadb (PGlite or Postgres).
 */
export async function loadBigDag(engine: SqlEngine, o: { dagId?: string; tasks: number; runs: number }): Promise<void> {
  const dagId = o.dagId ?? 'big';
  const version = serializedDagVersion(dagId, o.tasks);
  await upsertDagVersion(engine, version, new Date(), false);
  await engine.query(`INSERT INTO orch_dag_run (dag_id, run_id, version, run_type, state, logical_date, data_interval_start, data_interval_end, queued_at, start_date, end_date)
    SELECT $3, 'scheduled__' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00', $1, 'scheduled', 'success', t, t, t + interval '1 hour', t, t, t + interval '10 minutes'
    FROM generate_series(timestamptz '2018-11-01T00:00:00Z', timestamptz '2018-11-01T00:00:00Z' + ($2::int - 1) * interval '1 hour', interval '1 hour') AS t`, [version.hash, o.runs, dagId]);
  await engine.query(`INSERT INTO orch_task_instance (dag_id, run_id, task_id, state, try_number, max_tries, start_date, end_date)
    SELECT $2, r.run_id, 't' || lpad(i::text, 3, '0'), CASE WHEN (i * 31 + extract(epoch FROM r.logical_date)::bigint / 3600) % 97 = 0 THEN 'failed' ELSE 'success' END, 1, 1,
           r.start_date + i * interval '5 seconds', r.start_date + i * interval '5 seconds' + interval '4 seconds'
    FROM orch_dag_run r CROSS JOIN generate_series(0, $1::int - 1) AS i WHERE r.dag_id = $2`, [o.tasks, dagId]);
}

export interface GridDrawOptions {
  /** The API server serving the web UI, e.g. http://127.0.0.1:PORT. */
  base: string;
  username: string;
  password: string;
  dagId?: string;
  tasks: number;
  /** The grid's Runs choices to measure (25, 100, …). */
  runChoices: readonly string[];
  repeat: number;
  chromium?: string | undefined;
}

export interface GridDrawFigure {
  runs: number;
  /** Navigation to the grid until every cell is in the DOM and a frame after it is painted, per load. */
  drawMs: number[];
  /** The /ui grid endpoint alone, per request. */
  apiMs: number[];
}

/** Signs in through the UI's form, then loads the grid `repeat` times per Runs choice in headless Chromium. */
export async function measureGridDraw(o: GridDrawOptions): Promise<GridDrawFigure[]> {
  const dagId = o.dagId ?? 'big';
  await ensureUiBuilt(() => undefined);
  const browser = await chromium.launch({ executablePath: o.chromium ?? process.env.SPARKIFY_TEST_CHROMIUM ?? (await ensureChromium()), headless: true, args: ['--no-sandbox'] });
  try {
    // bypassCSP: the UI's Content-Security-Policy (script-src 'self') forbids the string predicates below, which
    // Playwright evaluates in the page; the policy changes nothing in how the grid is drawn.
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, bypassCSP: true });
    await page.goto(o.base);
    await page.getByLabel('User').fill(o.username);
    await page.getByLabel('Password').fill(o.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(`tr[data-dag="${dagId}"]`).waitFor();
    const token = await page.evaluate(() => sessionStorage.getItem('sparkify.token'));
    const figures: GridDrawFigure[] = [];
    for (const n of o.runChoices) {
      const apiMs: number[] = [];
      for (let i = 0; i < o.repeat; i++) {
        const t0 = performance.now();
        const res = await fetch(`${o.base}/ui/dags/${dagId}/grid?limit=${n}`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        apiMs.push(performance.now() - t0);
      }
      const drawMs: number[] = [];
      for (let i = 0; i < o.repeat; i++) {
        await page.goto(`${o.base}/#/dags`);
        await page.locator(`tr[data-dag="${dagId}"]`).waitFor();
        const t0 = performance.now();
        await page.goto(`${o.base}/#/dags/${dagId}/grid?runs=${n}`);
        // Every cell in the DOM and the browser has painted the frame after it.
        // (Strings: this file is type-checked with Node's types, not the DOM's.)
        await page.waitForFunction(`document.querySelectorAll('.cell').length === ${Number(n) * o.tasks}`, undefined, { polling: 'raf', timeout: 60_000 });
        await page.evaluate('new Promise((done) => requestAnimationFrame(() => done(null)))');
        drawMs.push(performance.now() - t0);
      }
      figures.push({ runs: Number(n), drawMs, apiMs });
    }
    return figures;
  } finally {
    await browser.close();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { chromium: { type: 'string' }, repeat: { type: 'string', default: '5' }, runs: { type: 'string', default: '25,100,365' } } });
  const repeat = Number(values.repeat);
  const tasks = 100;
  const runs = 1000;
  const engine = await PgliteEngine.open();
  try {
    await migrate(engine);
    const started = performance.now();
    await loadBigDag(engine, { tasks, runs });
    await createUser(engine, { username: 'bench', role: 'viewer', passwordHash: await hashPassword('bench-password') }, new Date());
    process.stderr.write(`metadb: ${runs} runs x ${tasks} tasks in ${ms(performance.now() - started)}\n`);
    const app = await buildApiServer({ engine, clock: systemClock });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const figures = await measureGridDraw({ base, username: 'bench', password: 'bench-password', tasks, runChoices: values.runs.split(','), repeat, chromium: values.chromium });
      const lines = figures.map((f) => `${String(f.runs).padStart(4)} runs x ${tasks} tasks: grid drawn ${ms(median(f.drawMs))} median, ${ms(Math.max(...f.drawMs))} worst; /ui grid endpoint ${ms(median(f.apiMs))} median`);
      process.stdout.write(`Web UI grid, ${runs} runs x ${tasks} tasks in the metadb (PGlite), ${repeat} loads each:\n${lines.join('\n')}\n`);
    } finally {
      await app.close();
    }
  } finally {
    await engine.close();
  }
}
