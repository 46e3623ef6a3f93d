import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DagVersions } from '../../../src/orchestrator/scheduler-loop/dag-versions.ts';
import { reapLapsedLeases } from '../../../src/orchestrator/scheduler-loop/reap-lapsed-leases.ts';
import { metadb } from '../metadb/fixtures.ts';
import { until } from './worker-processes.ts';
import { dagFolder, instance, logOf, queueRun, testExecutor, versionOf } from '../runner/runner-fixture.ts';

test('the local executor runs at most `parallelism` tries at once, in as many warm task processes, and claims the rest as slots free', async (t) => {
  const engine = await metadb(t, 'pglite');
  if (engine === undefined) return;
  const tasks = Array.from({ length: 6 }, (_, i) => `new op.Succeed(d, 't${i}', { value: process.pid });`).join('\n');
  const folder = await dagFolder(t, { 'six.ts': `const d = dag({ id: 'six', schedule: null, start: '2018-11-01' });\n${tasks}\nexport default d;` });
  await queueRun(engine, await versionOf(folder, 'six.ts'), 'manual__1');
  const { finished } = testExecutor(t, engine, folder, { parallelism: 2 });
  const done = await finished(6);
  assert.ok(done.every((f) => f.outcome.state === 'success'));
  const tries = await engine.query<{ start_date: Date; end_date: Date }>(`SELECT start_date, end_date FROM orch_task_try WHERE dag_id = 'six'`);
  const events = tries.flatMap((r) => [[r.start_date.getTime(), 1], [r.end_date.getTime(), -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of events) most = Math.max(most, (now += d));
  assert.equal(most, 2, 'two at a time, and both slots used');
  const pids = await engine.query<{ value: number }>(`SELECT value FROM orch_task_result WHERE dag_id = 'six'`);
  // The value is the pid of the process that loaded the DAG file: each of the two slots' processes loads it once.
  assert.equal(new Set(pids.map((r) => r.value)).size, 2, 'six tries in two warm processes');
  assert.ok(!pids.some((r) => r.value === process.pid), "never in the executor's process");
});

test('a try whose lease was taken away is killed and records nothing over the state that took it', async (t) => {
  const engine = await metadb(t, 'pglite');
  if (engine === undefined) return;
  const folder = await dagFolder(t, { 'lost.ts': `const d = dag({ id: 'lost', schedule: null, start: '2018-11-01', defaultArgs: { retries: 1 } });
new op.Hang(d, 'hang', { ignoreAbort: true });
export default d;` });
  await queueRun(engine, await versionOf(folder, 'lost.ts'), 'manual__1');
  const key = { dagId: 'lost', runId: 'manual__1', taskId: 'hang' };
  const { finished } = testExecutor(t, engine, folder, { leaseMs: 600 });
  // Wait for the task to be running (its log says so), then reap it as if its lease had lapsed.
  await until('the task to run', async () => (await logOf(engine, key, 1)).includes('[task] hanging'));
  const running = await instance(engine, key);
  assert.equal(await reapLapsedLeases(engine, new Date((running.leaseUntil as Date).getTime() + 60_000), new DagVersions()), 1);
  const [f] = await finished(1);
  assert.equal(f?.outcome.state, 'lost');
  assert.equal((await instance(engine, key)).state, 'up_for_retry', "the reaper's verdict stands");
  assert.match(await logOf(engine, key, 1), /the claim on this try was lost/);
});
