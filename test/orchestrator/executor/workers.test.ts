import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClock } from '../../../src/core/clock.ts';
import { DagVersions } from '../../../src/orchestrator/scheduler-loop/dag-versions.ts';
import { reapLapsedLeases } from '../../../src/orchestrator/scheduler-loop/reap-lapsed-leases.ts';
import { dagFolder, instance, logOf, queue, queueRun, tryRow, versionOf } from '../runner/runner-fixture.ts';
import { alive, until, workerDatabase } from './worker-processes.ts';

const count = async (engine: { query: <R>(s: string, p?: unknown[]) => Promise<R[]> }, sql: string, params: unknown[] = []) =>
  Number((await engine.query<{ n: string | number }>(sql, params))[0]?.n);

test('4 competing worker processes on Postgres: 200 task instances, each run exactly once, never two at once, maxActiveTasks held across workers', async (t) => {
  const w = await workerDatabase(t);
  if (w === undefined) return;
  const tasks = Array.from({ length: 20 }, (_, i) => `new op.Ledger(d, 't${String(i).padStart(2, '0')}', { workMs: 10, hangOnFirstTry: false });`).join('\n');
  const folder = await dagFolder(t, { 'many.ts': `const d = dag({ id: 'many', schedule: null, start: '2018-11-01', maxActiveTasks: 12 });\n${tasks}\nexport default d;` });
  const version = await versionOf(folder, 'many.ts');
  for (let i = 0; i < 10; i++) await queueRun(w.engine, version, `manual__${i}`, { logical: new Date(Date.UTC(2018, 10, 1, i)) });
  const workers = [0, 1, 2, 3].map(() => w.startWorker(folder, ['--concurrency', '4']));
  await until('200 successes', async () => (await count(w.engine, `SELECT count(*) AS n FROM orch_task_instance WHERE state = 'success'`)) === 200, 300_000);
  for (const p of workers) p.process.kill('SIGTERM');
  assert.deepEqual(await Promise.all(workers.map((p) => p.exited)), [0, 0, 0, 0], workers.map((p) => p.output()).join('\n'));

  const ledger = await w.engine.query<{ run_id: string; task_id: string; try_number: number; started: Date; ended: Date | null }>('SELECT * FROM ledger ORDER BY started');
  assert.equal(ledger.length, 200, 'each task instance started once');
  assert.equal(new Set(ledger.map((r) => `${r.run_id}/${r.task_id}`)).size, 200);
  assert.ok(ledger.every((r) => r.try_number === 1 && r.ended !== null && r.ended >= r.started));
  assert.equal(await count(w.engine, 'SELECT count(*) AS n FROM orch_task_try'), 200, 'one try each');
  const claimers = await w.engine.query<{ hostname: string }>('SELECT DISTINCT claimed_by FROM orch_task_instance');
  assert.equal(claimers.length, 1, 'claims are dropped at the end');
  const perWorker = workers.map((p) => (p.output().match(/: success/g) ?? []).length);
  assert.equal(perWorker.reduce((a, b) => a + b, 0), 200);
  assert.ok(perWorker.filter((n) => n > 0).length >= 2, `the work was shared: ${perWorker}`);
  // The most tasks running at once (from the ledger's own intervals) never passed the DAG's maxActiveTasks.
  const events = ledger.flatMap((r) => [[r.started.getTime(), 1], [(r.ended as Date).getTime(), -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of events) most = Math.max(most, (now += d));
  assert.ok(most <= 12, `at most 12 at once, saw ${most}`);
});

test('a worker killed with -9 mid-task loses nothing: its task process goes with it, its lease lapses, another worker runs the retry', async (t) => {
  const w = await workerDatabase(t);
  if (w === undefined) return;
  const folder = await dagFolder(t, {
    'fragile.ts': `const d = dag({ id: 'fragile', schedule: null, start: '2018-11-01', defaultArgs: { retries: 1, retryDelay: 0 } });
new op.Ledger(d, 'work', { workMs: 10, hangOnFirstTry: true });
export default d;`,
  });
  await queueRun(w.engine, await versionOf(folder, 'fragile.ts'), 'manual__1');
  const key = { dagId: 'fragile', runId: 'manual__1', taskId: 'work' };
  const a = w.startWorker(folder, ['--concurrency', '2']);
  const b = w.startWorker(folder, ['--concurrency', '2']);
  await until('the first try to start', async () => (await count(w.engine, 'SELECT count(*) AS n FROM ledger')) === 1);
  await until("the first try's log", async () => (await logOf(w.engine, key, 1)).includes('try 1 of 2'));
  const running = await instance(w.engine, key);
  const [victim, survivor] = running.claimedBy?.split(':')[1] === String(a.process.pid) ? [a, b] : [b, a];
  assert.equal(running.claimedBy?.split(':')[1], String(victim.process.pid));
  const taskPid = (await w.engine.query<{ pid: number }>('SELECT pid FROM ledger'))[0]?.pid as number;
  victim.process.kill('SIGKILL');
  await victim.exited;
  await until("the killed worker's task process to end", () => !alive(taskPid), 10_000);

  // The lapse is decided on an injected clock: just past the dead worker's lease, which nobody renews any more.
  const clock = new TestClock(running.leaseUntil as Date);
  assert.equal(await reapLapsedLeases(w.engine, clock.now(), new DagVersions()), 0, 'not lapsed at its last instant');
  clock.advance(1);
  assert.equal(await reapLapsedLeases(w.engine, clock.now(), new DagVersions()), 1);
  assert.equal((await instance(w.engine, key)).state, 'up_for_retry');
  await queue(w.engine, key, ['up_for_retry']); // the scheduler's part: the retry is due (retryDelay 0)
  await until('the retry to succeed', async () => (await instance(w.engine, key)).state === 'success');
  survivor.process.kill('SIGTERM');
  assert.equal(await survivor.exited, 0);

  const ledger = await w.engine.query<{ try_number: number; pid: number; started: Date; ended: Date | null }>('SELECT * FROM ledger ORDER BY try_number');
  assert.deepEqual(ledger.map((r) => [r.try_number, r.ended !== null]), [[1, false], [2, true]]);
  assert.notEqual(ledger[1]?.pid, taskPid);
  assert.match((await tryRow(w.engine, key, 1)).error ?? '', /stopped renewing its lease .*presumed dead/);
  assert.equal((await tryRow(w.engine, key, 2)).state, 'success');
  assert.match(await logOf(w.engine, key, 1), /try 1 of 2/, "the dead try's log is kept");
  assert.match(survivor.output(), /fragile manual__1 work try 2: success/);
});

test('SIGTERM: a worker finishes what runs and exits; with no grace left it releases its claim to the queue, its try not counted', async (t) => {
  const w = await workerDatabase(t);
  if (w === undefined) return;
  const folder = await dagFolder(t, {
    'stop.ts': `const d = dag({ id: 'stop', schedule: null, start: '2018-11-01' });
new op.Ledger(d, 'short', { workMs: 800, hangOnFirstTry: false });
new op.Ledger(d, 'endless', { workMs: 10, hangOnFirstTry: true });
export default d;`,
  });
  await queueRun(w.engine, await versionOf(folder, 'stop.ts'), 'manual__1', { queue: ['short'] });
  const graceful = w.startWorker(folder);
  await until('the short task to start', async () => (await count(w.engine, 'SELECT count(*) AS n FROM ledger')) === 1);
  graceful.process.kill('SIGTERM');
  assert.equal(await graceful.exited, 0, graceful.output());
  assert.equal((await instance(w.engine, { dagId: 'stop', runId: 'manual__1', taskId: 'short' })).state, 'success');

  const key = { dagId: 'stop', runId: 'manual__1', taskId: 'endless' };
  await queue(w.engine, key, ['none']);
  const hasty = w.startWorker(folder, ['--stop-grace-ms', '0']);
  await until('the endless task to start', async () => (await count(w.engine, 'SELECT count(*) AS n FROM ledger')) === 2);
  hasty.process.kill('SIGTERM');
  assert.equal(await hasty.exited, 0, hasty.output());
  const released = await instance(w.engine, key);
  assert.deepEqual([released.state, released.tryNumber, released.maxTries, released.claimedBy], ['queued', 1, 2, null]);
  const try1 = await tryRow(w.engine, key, 1);
  assert.equal(try1.state, 'queued');
  assert.match(try1.error ?? '', /^worker .* stopped$/);
  assert.match(await logOf(w.engine, key, 1), /released: worker .* stopped/);
});
