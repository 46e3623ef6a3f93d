import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClock } from '../../../src/core/clock.ts';
import { claimTaskInstances } from '../../../src/orchestrator/metadb/claim-task-instances.ts';
import { getDagRun } from '../../../src/orchestrator/metadb/dag-runs.ts';
import { setDagPaused, upsertDagVersion } from '../../../src/orchestrator/metadb/dags.ts';
import { listDeadlineMisses } from '../../../src/orchestrator/metadb/deadlines.ts';
import { schedulerTick, triggerDagRun } from '../../../src/orchestrator/scheduler-loop/index.ts';
import { dagVersion, engineKinds, metadb, task } from '../metadb/fixtures.ts';
import { workTasks } from './worker-moves.ts';

const minute = 60_000;
/** A worker that claims what is queued and keeps it running (its lease outlasts the test's clock). */
const hold = (engine: Parameters<typeof workTasks>[0], now: Date) =>
  engine.transaction((tx) => claimTaskInstances(tx, { worker: 'holder', hostname: 'test', limit: 100, now, leaseMs: 7 * 86_400_000 }));
const none = { email: [], callback: false };

for (const kind of engineKinds) {
  test(`${kind}: deadlines on the TestClock: a task's and a run's miss recorded once while the run runs, never for a run that ended in time`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const v = dagVersion('late', [task('a'), task('slow', { upstream: ['a'], deadline: { reference: 'queuedAt', intervalMs: 10 * minute, ...none } })], {
      deadline: { reference: 'queuedAt', intervalMs: 30 * minute, ...none },
    });
    await upsertDagVersion(engine, v, new Date('2018-11-01T00:00:00Z'));
    await setDagPaused(engine, 'late', false);
    const clock = new TestClock('2026-12-08T10:00:00Z');
    const slowRun = await engine.transaction((tx) => triggerDagRun(tx, { dagId: 'late', now: clock.now() }));
    await schedulerTick(engine, clock);
    await workTasks(engine, clock.now()); // a succeeds
    await schedulerTick(engine, clock);
    await hold(engine, clock.now()); // slow is claimed and keeps running

    clock.set('2026-12-08T10:09:59.999Z');
    assert.deepEqual((await schedulerTick(engine, clock)).deadlinesMissed, [], 'not before its deadline');
    clock.set('2026-12-08T10:10:00Z');
    assert.deepEqual((await schedulerTick(engine, clock)).deadlinesMissed, [{ dagId: 'late', runId: slowRun.runId, taskId: 'slow' }]);
    clock.advance(minute);
    assert.deepEqual((await schedulerTick(engine, clock)).deadlinesMissed, [], 'recorded once across ticks');
    clock.set('2026-12-08T10:30:00Z');
    assert.deepEqual((await schedulerTick(engine, clock)).deadlinesMissed, [{ dagId: 'late', runId: slowRun.runId, taskId: null }]);
    assert.equal((await getDagRun(engine, 'late', slowRun.runId))?.state, 'running', 'the run is still running when its miss is recorded');
    for (let i = 0; i < 3; i++) {
      clock.advance(minute);
      assert.deepEqual((await schedulerTick(engine, clock)).deadlinesMissed, []);
    }

    // A run that ends in time is never a miss, however late the clock goes afterwards.
    const quick = await engine.transaction((tx) => triggerDagRun(tx, { dagId: 'late', now: clock.now() }));
    for (let i = 0; i < 4; i++) {
      await schedulerTick(engine, clock);
      await workTasks(engine, clock.now());
    }
    await schedulerTick(engine, clock);
    assert.equal((await getDagRun(engine, 'late', quick.runId))?.state, 'success');
    clock.advance(120 * minute);
    assert.deepEqual((await schedulerTick(engine, clock)).deadlinesMissed, []);

    const misses = await listDeadlineMisses(engine, { dagId: 'late' });
    assert.deepEqual(misses.map((m) => [m.runId, m.taskId, m.reference, m.deadline.toISOString(), m.missedAt.toISOString(), m.alertState, m.runState]), [
      [slowRun.runId, null, 'queuedAt', '2026-12-08T10:30:00.000Z', '2026-12-08T10:30:00.000Z', 'none', 'running'],
      [slowRun.runId, 'slow', 'queuedAt', '2026-12-08T10:10:00.000Z', '2026-12-08T10:10:00.000Z', 'none', 'running'],
    ]);
    assert.deepEqual(await listDeadlineMisses(engine, { dagId: 'late', runId: quick.runId }), []);
    assert.equal((await listDeadlineMisses(engine)).length, 2, 'all DAGs');
  });

  test(`${kind}: a deadline on the data interval's end counts from it, and a queued run (not started) can miss it too`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const v = dagVersion('interval', [task('a')], { maxActiveRuns: 1, deadline: { reference: 'dataIntervalEnd', intervalMs: 90 * minute, ...none } });
    await upsertDagVersion(engine, v, new Date('2018-11-01T00:00:00Z'));
    await setDagPaused(engine, 'interval', false);
    const clock = new TestClock('2026-12-08T07:00:00Z');
    const first = await engine.transaction((tx) => triggerDagRun(tx, { dagId: 'interval', now: clock.now(), logicalDate: new Date('2026-12-08T07:00:00Z') }));
    const second = await engine.transaction((tx) => triggerDagRun(tx, { dagId: 'interval', now: clock.now(), logicalDate: new Date('2026-12-08T07:30:00Z') }));
    await schedulerTick(engine, clock);
    await hold(engine, clock.now());
    const r1 = await getDagRun(engine, 'interval', first.runId);
    const r2 = await getDagRun(engine, 'interval', second.runId);
    assert.deepEqual([r1?.state, r2?.state], ['running', 'queued'], 'maxActiveRuns 1 holds the second back');
    clock.set(new Date(r1!.dataIntervalEnd.getTime() + 90 * minute));
    const missed = (await schedulerTick(engine, clock)).deadlinesMissed.map((m) => m.runId);
    const expected = [first.runId, ...(r2!.dataIntervalEnd.getTime() + 90 * minute <= clock.now().getTime() ? [second.runId] : [])];
    assert.deepEqual(missed.sort(), expected.sort());
    clock.set(new Date(r2!.dataIntervalEnd.getTime() + 90 * minute));
    await schedulerTick(engine, clock);
    const misses = await listDeadlineMisses(engine, { dagId: 'interval' });
    assert.deepEqual(misses.map((m) => [m.runId, m.runState, m.deadline.getTime()]).sort(),
      [[first.runId, 'running', r1!.dataIntervalEnd.getTime() + 90 * minute], [second.runId, 'queued', r2!.dataIntervalEnd.getTime() + 90 * minute]].sort());
  });
}
