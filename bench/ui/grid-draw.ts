/**
 * The web UI's grid, drawn in a real browser (issue 17 §4's UI figure): a DAG of 100 tasks with 1000 finished runs
 * (100,000 task instances) in an in-memory PGlite metadb, the API server on a free port, headless Chromium. For each
 * number of runs the grid offers, the time from navigating to the grid until every cell is in the DOM (median and
 * worst of `--repeat` loads), and the /ui grid endpoint's own latency for comparison. Target: < 1 s.
 *
 *   npx node bench/ui/grid-draw.ts [--chromium PATH] [--repeat 5] [--runs 25,100,365]
 *
 * The browser is $SPARKIFY_TEST_CHROMIUM or what scripts/servers/chromium.ts finds (or installs).
 */
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ensureChromium } from '../../scripts/servers/chromium.ts';
import { ensureUiBuilt } from '../../scripts/build-ui.ts';
import { hashPassword } from '../../src/api/auth/passwords.ts';
import { buildApiServer } from '../../src/api/server.ts';
import { systemClock } from '../../src/core/clock.ts';
import { PgliteEngine } from '../../src/engines/pglite/pglite-engine.ts';
import { serializedDagVersion } from './big-dag.ts';
import { migrate } from '../../src/orchestrator/metadb/migrate.ts';
import { upsertDagVersion } from '../../src/orchestrator/metadb/dags.ts';
import { createUser } from '../../src/orchestrator/metadb/users.ts';

const { values } = parseArgs({ options: { chromium: { type: 'string' }, repeat: { type: 'string', default: '5' }, runs: { type: 'string', default: '25,100,365' } } });
const repeat = Number(values.repeat);
const runChoices = values.runs.split(',');
const tasks = 100;
const runs = 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ms = (x: number) => `${x.toFixed(0)} ms`;

const engine = await PgliteEngine.open();
const app = await (async () => {
  await migrate(engine);
  const version = serializedDagVersion('big', tasks);
  const started = performance.now();
  await upsertDagVersion(engine, version, new Date(), false);
  // Set-based: 1000 hourly runs, each with its 100 task instances and one try each; every 97th instance failed.
  await engine.query(`INSERT INTO orch_dag_run (dag_id, run_id, version, run_type, state, logical_date, data_interval_start, data_interval_end, queued_at, start_date, end_date)
    SELECT 'big', 'scheduled__' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00', $1, 'scheduled', 'success', t, t, t + interval '1 hour', t, t, t + interval '10 minutes'
    FROM generate_series(timestamptz '2018-11-01T00:00:00Z', timestamptz '2018-11-01T00:00:00Z' + ($2::int - 1) * interval '1 hour', interval '1 hour') AS t`, [version.hash, runs]);
  await engine.query(`INSERT INTO orch_task_instance (dag_id, run_id, task_id, state, try_number, max_tries, start_date, end_date)
    SELECT 'big', r.run_id, 't' || lpad(i::text, 3, '0'), CASE WHEN (i * 31 + extract(epoch FROM r.logical_date)::bigint / 3600) % 97 = 0 THEN 'failed' ELSE 'success' END, 1, 1,
           r.start_date + i * interval '5 seconds', r.start_date + i * interval '5 seconds' + interval '4 seconds'
    FROM orch_dag_run r CROSS JOIN generate_series(0, $1::int - 1) AS i WHERE r.dag_id = 'big'`, [tasks]);
  await createUser(engine, { username: 'bench', role: 'viewer', passwordHash: await hashPassword('bench-password') }, new Date());
  process.stderr.write(`metadb: ${runs} runs x ${tasks} tasks in ${ms(performance.now() - started)}\n`);
  const server = await buildApiServer({ engine, clock: systemClock });
  await server.listen({ host: '127.0.0.1', port: 0 });
  return server;
})();
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
await ensureUiBuilt(() => undefined);
const browser = await chromium.launch({ executablePath: values.chromium ?? process.env.SPARKIFY_TEST_CHROMIUM ?? (await ensureChromium()), headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(base);
  await page.getByLabel('User').fill('bench');
  await page.getByLabel('Password').fill('bench-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('tr[data-dag="big"]').waitFor();
  const token = await page.evaluate(() => sessionStorage.getItem('sparkify.token'));
  const lines: string[] = [];
  for (const n of runChoices) {
    const api: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}/ui/dags/big/grid?limit=${n}`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      api.push(performance.now() - t0);
    }
    const draw: number[] = [];
    for (let i = 0; i < repeat; i++) {
      await page.goto(`${base}/#/dags`);
      await page.locator('tr[data-dag="big"]').waitFor();
      const t0 = performance.now();
      await page.goto(`${base}/#/dags/big/grid?runs=${n}`);
      // Every cell in the DOM and the browser has painted the frame after it.
      // (Strings: this file is type-checked with Node's types, not the DOM's.)
      await page.waitForFunction(`document.querySelectorAll('.cell').length === ${Number(n) * tasks}`, undefined, { polling: 'raf', timeout: 60_000 });
      await page.evaluate('new Promise((done) => requestAnimationFrame(() => done(null)))');
      draw.push(performance.now() - t0);
    }
    lines.push(`${n.padStart(4)} runs x ${tasks} tasks: grid drawn ${ms(median(draw))} median, ${ms(Math.max(...draw))} worst; /ui grid endpoint ${ms(median(api))} median`);
  }
  process.stdout.write(`Web UI grid, ${runs} runs x ${tasks} tasks in the metadb (PGlite), ${repeat} loads each:\n${lines.join('\n')}\n`);
} finally {
  await browser.close();
  await app.close();
  await engine.close();
}
