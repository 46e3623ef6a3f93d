// Issue 15 §9: the metadata database restarted under a running scheduler and worker. A private PostgreSQL server (the
// shared test server is not ours to restart) holds the metadata; `sparkify scheduler` and `sparkify worker` run a
// backfill on it; mid-way the server is shut down (fast: every connection cut), kept down while tries finish, and
// started again on the same data. Both processes must ride it out, reconnect, and finish every run.
// A try that ends while the server is down keeps its outcome: the runner writes its log and state again until the
// server is back (runner/while-reachable.ts), its lease renewed meanwhile, so no live worker is taken for dead.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startPostgres } from '../../../scripts/servers/postgres-server.ts';
import { PostgresEngine } from '../../../src/engines/postgres/postgres-engine.ts';
import { migrate } from '../../../src/orchestrator/metadb/migrate.ts';
import { pgAvailable } from '../../support/postgres.ts';
import { until } from '../executor/worker-processes.ts';
import { running, sparkifyProcesses } from './sparkify-processes.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');
const runs = 4;
/** The server stays down for less than this: a longer outage lapses the claims of tries that are still running. */
const leaseMs = 5000;
/** How long the server stays down once both processes have met the outage: tries of 400 ms end meanwhile. */
const outageMs = 1500;

const restartDag = `import { chain, dag, task } from '${pathToFileURL(join(root, 'src/orchestrator/dag/index.ts')).href}';
const d = dag({ id: 'restart', schedule: '@hourly', start: '2018-11-15T00:00:00Z', catchup: true, maxActiveRuns: 2, defaultArgs: { retries: 2, retryDelay: 0 } });
const work = (id) => task(async () => { await new Promise((r) => setTimeout(r, 400)); return id; }, { dag: d, id });
chain(work('extract'), work('transform'), work('load'));
export default d;
`;

test('the metadata database restarted under a running scheduler and worker: both reconnect and the backfill finishes', async (t) => {
  if (!pgAvailable()) {
    // The same rule as every Postgres test (test/support/postgres.ts): npm test provides the server binaries.
    if (process.env.CI === 'true') throw new Error('PostgreSQL tests need SPARKIFY_TEST_PG_URL (run them with `npm test`)');
    t.skip('PostgreSQL tests need SPARKIFY_TEST_PG_URL (run them with `npm test`)');
    return;
  }
  const server = await startPostgres({ install: false });
  t.after(() => server.stop());
  const meta = new PostgresEngine({ connectionString: server.url });
  t.after(() => meta.close());
  await migrate(meta);
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-restart-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dags = join(dir, 'dags');
  await mkdir(dags);
  await writeFile(join(dags, 'restart.ts'), restartDag);
  const procs = sparkifyProcesses(t, { SPARKIFY_SECRET_KEY: randomBytes(32).toString('hex'), SPARKIFY_DATA_DIR: join(dir, 'data') });

  const backfill = procs.start('backfill', ['dags', 'backfill', 'restart', '--db', server.url, '--dags', dags, '--from-date', '2018-11-15T00:00:00Z', '--to-date', '2018-11-15T03:00:00Z', '--no-wait']);
  assert.equal((await backfill.exited).code, 0, backfill.output());
  const scheduler = procs.start('scheduler', ['scheduler', '--db', server.url, '--dags', dags, '--executor', 'none', '--idle-ms', '100']);
  const worker = procs.start('worker', ['worker', '--metadb', server.url, '--dags', dags, '--concurrency', '2', '--lease-ms', String(leaseMs), '--poll-ms', '50']);

  const count = async (sql: string) => Number((await meta.query<{ n: number }>(sql))[0]?.n);
  const finishedRuns = () => count(`SELECT count(*)::int AS n FROM orch_dag_run WHERE state IN ('success', 'failed')`);
  // Mid-way: a run finished, and tries running now.
  await until('a run to finish and tries to be running', async () => (await finishedRuns()) >= 1 && (await count(`SELECT count(*)::int AS n FROM orch_task_instance WHERE state = 'running'`)) >= 1, 60_000);
  const errorsOf = (text: string) => (text.match(/ECONNREFUSED|terminat|shutting down|Connection|connect/gi) ?? []).length;
  const before = { scheduler: errorsOf(scheduler.output()), worker: errorsOf(worker.output()) };
  const down = performance.now();
  let downMs = 0;
  await server.restart(async () => {
    // Down until both have met the outage (each reports its failed tick or claim and goes on).
    await until('the scheduler and the worker to report the outage', () => errorsOf(scheduler.output()) > before.scheduler && errorsOf(worker.output()) > before.worker, leaseMs / 2);
    await new Promise((r) => setTimeout(r, outageMs));
    downMs = performance.now() - down;
  });
  assert.ok(running(scheduler) && running(worker), `both outlived the restart:\n${scheduler.output()}\n${worker.output()}`);
  await until(`all ${runs} runs to finish after the restart`, async () => (await finishedRuns().catch(() => 0)) === runs, 60_000);
  scheduler.process.kill('SIGTERM');
  worker.process.kill('SIGTERM');
  assert.equal((await scheduler.exited).code, 0, scheduler.output());
  assert.equal((await worker.exited).code, 0, worker.output());

  assert.deepEqual(await meta.query(`SELECT state, count(*)::int AS n FROM orch_dag_run GROUP BY state`), [{ state: 'success', n: runs }]);
  const tries = await meta.query<{ run_id: string; task_id: string; try_number: number; state: string; error: string | null }>('SELECT run_id, task_id, try_number, state, error FROM orch_task_try ORDER BY start_date');
  // Tries the outage cost: each a live worker's, taken for dead once its lease lapsed (no other failure is allowed).
  const lost = tries.filter((r) => r.state !== 'success');
  assert.deepEqual(lost.filter((r) => !/stopped renewing its lease/.test(r.error ?? '')), [], 'no try failed otherwise');
  t.diagnostic(`the server was down ${(downMs / 1000).toFixed(2)} s; ${runs} runs x 3 tasks all success in ${tries.length} tries (${lost.length} lost to the outage)`);
  assert.deepEqual(lost.map((r) => `${r.run_id} ${r.task_id} try ${r.try_number}: ${r.error}`), [], 'no try lost its outcome to the outage');
});
