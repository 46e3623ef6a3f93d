import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClock } from '../../../src/core/clock.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import type { SerializedTask } from '../../../src/orchestrator/dag/serialized-dag.ts';
import { getDagRun, listDagRuns } from '../../../src/orchestrator/metadb/dag-runs.ts';
import { getDag, setDagPaused, upsertDagVersion } from '../../../src/orchestrator/metadb/dags.ts';
import { claimTaskInstances } from '../../../src/orchestrator/metadb/claim-task-instances.ts';
import { listTaskInstances } from '../../../src/orchestrator/metadb/task-instances.ts';
import { listTaskTries } from '../../../src/orchestrator/metadb/task-instance-moves.ts';
import { clearTasks, createScheduler, schedulerTick, triggerDagRun } from '../../../src/orchestrator/scheduler-loop/index.ts';
import { dagVersion, engineKinds, metadb, task } from '../metadb/fixtures.ts';
import { workTasks } from './worker-moves.ts';

const day = 86_400_000;
const states = async (engine: SqlEngine, dagId: string, runId: string) =>
  Object.fromEntries((await listTaskInstances(engine, dagId, runId)).map((ti) => [ti.taskId, ti.state]));

async function addDag(engine: SqlEngine, id: string, tasks: SerializedTask[], over: Parameters<typeof dagVersion>[2] = {}, paused = false) {
  const v = dagVersion(id, tasks, over);
  await upsertDagVersion(engine, v, new Date('2018-11-01T00:00:00Z'));
  await setDagPaused(engine, id, paused);
  return v;
}

const chainOf = (...ids: string[]) => ids.map((id, i) => task(id, { upstream: i === 0 ? [] : [ids[i - 1] as string] }));

for (const kind of engineKinds) {
  test(`${kind}: catchup creates every missed interval, in order, never more than maxActiveRuns running; next_* follows`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const clock = new TestClock('2018-11-06T00:00:00Z');
    await addDag(engine, 'daily', chainOf('a', 'b'), { schedule: { kind: 'cron', expression: '@daily' }, catchup: true, maxActiveRuns: 2 });
    const startedOrder: string[] = [];
    for (let i = 0; i < 30; i++) {
      await schedulerTick(engine, clock);
      const runs = await listDagRuns(engine, 'daily');
      const running = runs.filter((r) => r.state === 'running');
      assert.ok(running.length <= 2, `at most 2 running, not ${running.length}`);
      for (const r of [...running].reverse()) if (!startedOrder.includes(r.runId)) startedOrder.push(r.runId);
      if (runs.length === 5 && runs.every((r) => r.state === 'success')) break;
      await workTasks(engine, clock.now());
    }
    const runs = await listDagRuns(engine, 'daily');
    assert.deepEqual(runs.map((r) => [r.logicalDate.toISOString().slice(0, 10), r.state, r.runType]).reverse(),
      [1, 2, 3, 4, 5].map((d) => [`2018-11-0${d}`, 'success', 'scheduled']));
    assert.deepEqual(startedOrder, runs.map((r) => r.runId).reverse(), 'started oldest first');
    assert.equal(runs[0]?.runId, 'scheduled__2018-11-05T00:00:00+00:00');
    const d = await getDag(engine, 'daily');
    assert.equal(d?.nextLogicalDate?.toISOString(), '2018-11-06T00:00:00.000Z', 'next run: not due before 11-07');
    clock.advance(day);
    assert.equal((await schedulerTick(engine, clock)).runsCreated, 1);
  });

  test(`${kind}: catchup off creates only the latest interval; a paused DAG creates nothing until unpaused`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const clock = new TestClock('2018-11-06T00:00:00Z');
    await addDag(engine, 'nocatch', [task('a')], { schedule: { kind: 'cron', expression: '@daily' }, catchup: false }, true);
    assert.equal((await schedulerTick(engine, clock)).runsCreated, 0, 'paused');
    assert.deepEqual(await listDagRuns(engine, 'nocatch'), []);
    await setDagPaused(engine, 'nocatch', false);
    const r = await schedulerTick(engine, clock);
    assert.deepEqual([r.runsCreated, r.runsStarted, r.tasksQueued], [1, 1, 1]);
    assert.deepEqual((await listDagRuns(engine, 'nocatch')).map((x) => x.logicalDate.toISOString()), ['2018-11-05T00:00:00.000Z']);
    await setDagPaused(engine, 'nocatch', true);
    clock.advance(3 * day);
    assert.equal((await schedulerTick(engine, clock)).runsCreated, 0, 'paused again');
  });

  test(`${kind}: a manual trigger with a logical date and conf waits while paused, then runs`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const clock = new TestClock('2018-11-06T12:00:00Z');
    await addDag(engine, 'hourly', [task('a')], { schedule: { kind: 'cron', expression: '@hourly' } }, true);
    const run = await engine.transaction((tx) => triggerDagRun(tx, { dagId: 'hourly', logicalDate: new Date('2018-11-03T05:00:00Z'), conf: { region: 'us' }, now: clock.now() }));
    assert.equal(run.runId, 'manual__2018-11-03T05:00:00+00:00');
    assert.deepEqual([run.dataIntervalStart.toISOString(), run.dataIntervalEnd.toISOString()], ['2018-11-03T04:00:00.000Z', '2018-11-03T05:00:00.000Z']);
    await assert.rejects(engine.transaction((tx) => triggerDagRun(tx, { dagId: 'hourly', logicalDate: new Date('2018-11-03T05:00:00Z'), now: clock.now() })), /already has a run/);
    await schedulerTick(engine, clock);
    assert.equal((await getDagRun(engine, 'hourly', run.runId))?.state, 'queued', 'paused: waits');
    await setDagPaused(engine, 'hourly', false);
    await schedulerTick(engine, clock);
    await workTasks(engine, clock.now());
    await schedulerTick(engine, clock);
    const after = await getDagRun(engine, 'hourly', run.runId);
    assert.deepEqual([after?.state, after?.conf], ['success', { region: 'us' }]);
    await assert.rejects(engine.transaction((tx) => triggerDagRun(tx, { dagId: 'nope', now: clock.now() })), { code: 'SPK_E_NOT_FOUND' });
  });

  test(`${kind}: a failing task's retries follow its delay as the clock moves; out of tries the run fails`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const clock = new TestClock('2018-11-06T00:00:00Z');
    await addDag(engine, 'flaky', chainOf('a', 'b').map((x) => ({ ...x, retries: 2, retryDelayMs: 300_000 })));
    const run = await engine.transaction((tx) => triggerDagRun(tx, { dagId: 'flaky', now: clock.now() }));
    await schedulerTick(engine, clock);
    const fail = () => 'failed' as const;
    assert.equal((await workTasks(engine, clock.now(), fail)).length, 1);
    const [a] = await listTaskInstances(engine, 'flaky', run.runId);
    assert.deepEqual([a?.state, a?.nextTryAt?.toISOString()], ['up_for_retry', '2018-11-06T00:05:00.000Z']);
    clock.advance(299_999);
    assert.equal((await schedulerTick(engine, clock)).retriesDue, 0, 'not before its delay');
    clock.advance(1);
    const due = await schedulerTick(engine, clock);
    assert.deepEqual([due.retriesDue, due.tasksQueued], [1, 1]);
    await workTasks(engine, clock.now(), fail);
    clock.advance(300_000);
    await schedulerTick(engine, clock);
    await workTasks(engine, clock.now(), fail);
    const end = await schedulerTick(engine, clock);
    assert.deepEqual(end.runsFinished, [{ dagId: 'flaky', runId: run.runId, state: 'failed', durationMs: 600_000 }], 'started at 00:00, failed at 00:10');
    assert.deepEqual(await states(engine, 'flaky', run.runId), { a: 'failed', b: 'upstream_failed' });
    assert.deepEqual((await listTaskTries(engine, 'flaky', run.runId, 'a')).map((x) => [x.tryNumber, x.state]), [[1, 'up_for_retry'], [2, 'up_for_retry'], [3, 'failed']]);
  });

  test(`${kind}: trigger rules end runs in the right states (leaves decide)`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const clock = new TestClock('2018-11-06T00:00:00Z');
    // a fails: b (all_success) upstream_failed, c (one_failed) runs, d (all_done, after b and c) runs.
    await addDag(engine, 'rules', [
      task('a'), task('b', { upstream: ['a'] }), task('c', { upstream: ['a'], triggerRule: 'one_failed' }), task('d', { upstream: ['b', 'c'], triggerRule: 'all_done' }),
    ]);
    const run = await engine.transaction((tx) => triggerDagRun(tx, { dagId: 'rules', now: clock.now() }));
    for (let i = 0; i < 6; i++) {
      await schedulerTick(engine, clock);
      await workTasks(engine, clock.now(), (c) => (c.taskId === 'a' ? 'failed' : 'success'));
    }
    assert.deepEqual(await states(engine, 'rules', run.runId), { a: 'failed', b: 'upstream_failed', c: 'success', d: 'success' });
    assert.equal((await getDagRun(engine, 'rules', run.runId))?.state, 'success', 'its one leaf succeeded');
    // The same with the leaf d as all_success: upstream_failed, and the run fails.
    await addDag(engine, 'rules2', [task('a'), task('b', { upstream: ['a'] }), task('c', { upstream: ['a'], triggerRule: 'one_success' })]);
    const run2 = await engine.transaction((tx) => triggerDagRun(tx, { dagId: 'rules2', now: clock.now() }));
    for (let i = 0; i < 4; i++) {
      await schedulerTick(engine, clock);
      await workTasks(engine, clock.now(), (c) => (c.taskId === 'a' ? 'failed' : 'success'));
    }
    assert.deepEqual(await states(engine, 'rules2', run2.runId), { a: 'failed', b: 'upstream_failed', c: 'upstream_failed' });
    assert.equal((await getDagRun(engine, 'rules2', run2.runId))?.state, 'failed');
  });

  test(`${kind}: a lapsed lease is reaped: the try fails, retried while tries are left, then failed`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const clock = new TestClock('2018-11-06T00:00:00Z');
    await addDag(engine, 'dead', [task('a', { retries: 1, retryDelayMs: 60_000 })]);
    const run = await engine.transaction((tx) => triggerDagRun(tx, { dagId: 'dead', now: clock.now() }));
    await schedulerTick(engine, clock);
    const claim = () => engine.transaction((tx) => claimTaskInstances(tx, { worker: 'gone', hostname: 'h', limit: 10, now: clock.now(), leaseMs: 10_000 }));
    assert.equal((await claim()).length, 1);
    clock.advance(10_000);
    assert.equal((await schedulerTick(engine, clock)).leasesReaped, 0, 'the lease still holds at its last instant');
    clock.advance(1);
    assert.equal((await schedulerTick(engine, clock)).leasesReaped, 1);
    const [a] = await listTaskInstances(engine, 'dead', run.runId);
    assert.deepEqual([a?.state, a?.claimedBy, a?.nextTryAt?.toISOString()], ['up_for_retry', null, '2018-11-06T00:01:10.001Z']);
    clock.advance(60_000);
    await schedulerTick(engine, clock);
    assert.equal((await claim()).length, 1);
    clock.advance(10_001);
    await schedulerTick(engine, clock);
    await schedulerTick(engine, clock);
    assert.equal((await getDagRun(engine, 'dead', run.runId))?.state, 'failed');
    assert.match((await listTaskTries(engine, 'dead', run.runId, 'a'))[1]?.error ?? '', /gone stopped renewing its lease/);
  });

  test(`${kind}: clear with downstream re-runs the task and what depends on it, with its retries anew`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const clock = new TestClock('2018-11-06T00:00:00Z');
    await addDag(engine, 'cl', [...chainOf('a', 'b', 'c'), task('x')]);
    const run = await engine.transaction((tx) => triggerDagRun(tx, { dagId: 'cl', now: clock.now() }));
    for (let i = 0; i < 4; i++) {
      await schedulerTick(engine, clock);
      await workTasks(engine, clock.now(), (c) => (c.taskId === 'b' ? 'failed' : 'success'));
    }
    assert.equal((await getDagRun(engine, 'cl', run.runId))?.state, 'failed');
    const cleared = await engine.transaction((tx) => clearTasks(tx, { dagId: 'cl', runId: run.runId, taskIds: ['b'], downstream: true, now: clock.now() }));
    assert.deepEqual(cleared, { cleared: ['b', 'c'], busy: [], requeued: true });
    assert.deepEqual(await states(engine, 'cl', run.runId), { a: 'success', b: 'none', c: 'none', x: 'success' });
    assert.equal((await listTaskInstances(engine, 'cl', run.runId)).find((ti) => ti.taskId === 'b')?.maxTries, 2, 'one try made + 1');
    for (let i = 0; i < 4; i++) {
      await schedulerTick(engine, clock);
      await workTasks(engine, clock.now());
    }
    assert.equal((await getDagRun(engine, 'cl', run.runId))?.state, 'success');
    assert.deepEqual((await listTaskTries(engine, 'cl', run.runId, 'b')).map((x) => x.state), ['failed', 'success']);
    await assert.rejects(engine.transaction((tx) => clearTasks(tx, { dagId: 'cl', runId: run.runId, taskIds: ['zz'], now: clock.now() })), /has no task zz/);
  });

  test(`${kind}: createScheduler keeps its version cache across ticks and goes on from where it was`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const clock = new TestClock('2018-11-01T03:00:00Z');
    await addDag(engine, 'h', [task('a')], { schedule: { kind: 'cron', expression: '@hourly' }, catchup: true, maxActiveRuns: 16 });
    const s = createScheduler({ engine, clock });
    assert.equal((await s.tick()).report.runsCreated, 3);
    await workTasks(engine, clock.now());
    assert.deepEqual((await s.tick()).report.runsFinished.map((r) => r.state), ['success', 'success', 'success']);
  });
}
