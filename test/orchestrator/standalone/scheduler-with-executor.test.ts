import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { TestClock } from '../../../src/core/clock.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { listDagRuns } from '../../../src/orchestrator/metadb/dag-runs.ts';
import { getResult } from '../../../src/orchestrator/metadb/task-results.ts';
import { listTaskTries } from '../../../src/orchestrator/metadb/task-instance-moves.ts';
import { createScheduler, type Scheduler } from '../../../src/orchestrator/scheduler-loop/index.ts';
import { runSchedulerWithExecutor } from '../../../src/orchestrator/standalone/scheduler-with-executor.ts';
import { engineKinds, metadb } from '../metadb/fixtures.ts';
import { testBox, testExecutor, logOf } from '../runner/runner-fixture.ts';
import { dagFile, smallDagFile } from './small-dag.ts';

async function folderWith(t: TestContext, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-standalone-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const [id, text] of Object.entries(files)) await writeFile(dagFile(dir, id), text);
  return dir;
}

/**
 * Ticks the scheduler until the DAG has `runs` runs, all ended. Between ticks that did nothing it waits for the
 * executor's next finished try (what would wake the real loop), never for a time.
 */
async function drive(engine: SqlEngine, scheduler: Scheduler, exec: ReturnType<typeof testExecutor>, dagId: string, runs: number) {
  let seen = 0;
  for (let i = 0; i < 500; i++) {
    const { report: r } = await scheduler.tick();
    if (r.tasksQueued > 0) exec.executor.wake();
    const all = await listDagRuns(engine, dagId);
    if (all.length === runs && all.every((x) => x.state === 'success' || x.state === 'failed')) return all;
    if (r.runsCreated + r.runsStarted + r.tasksScheduled + r.tasksQueued + r.retriesDue + r.runsFinished.length > 0) continue;
    await exec.finished(++seen);
  }
  throw new Error(`the runs of ${dagId} did not end in 500 ticks`);
}

for (const kind of engineKinds) {
  test(`${kind}: the scheduler and a local executor on a TestClock: due intervals run to success, results flow downstream, a failed try is retried`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const folder = await folderWith(t, { small: smallDagFile('small') });
    const clock = new TestClock('2018-11-01T00:30:00Z');
    const scheduler = createScheduler({ engine, clock, dagFolder: folder, pausedAtCreation: false, dagFolderIntervalMs: 3_600_000 * 24 });
    const exec = testExecutor(t, engine, folder, { clock, parallelism: 3 });
    const first = await scheduler.tick();
    assert.deepEqual(first.sync?.newVersions, ['small']);
    assert.equal(first.report.runsCreated, 0, 'the first hour has not ended at 00:30');

    clock.set('2018-11-01T02:00:00Z');
    let runs = await drive(engine, scheduler, exec, 'small', 2);
    assert.deepEqual(runs.map((r) => [r.runId, r.state]), [['scheduled__2018-11-01T01:00:00+00:00', 'success'], ['scheduled__2018-11-01T00:00:00+00:00', 'success']]);
    clock.advance(3_600_000);
    runs = await drive(engine, scheduler, exec, 'small', 3);
    assert.deepEqual(runs.map((r) => r.state), ['success', 'success', 'success']);

    for (const [hour, run] of [[0, '00'], [1, '01'], [2, '02']] as const) {
      const runId = `scheduled__2018-11-01T${run}:00:00+00:00`;
      const key = (taskId: string) => ({ dagId: 'small', runId, taskId });
      // extract -> double -> total: (1 + 2 + 3) * 2 + 3 * hour, the hour from the run's own data interval.
      assert.deepEqual(await getResult(engine, key('double')), { found: true, value: [2 + hour, 4 + hour, 6 + hour] });
      assert.deepEqual(await getResult(engine, key('done')), { found: true, value: { total: 12 + 3 * hour, flakyTries: 2 } });
      const tries = await listTaskTries(engine, 'small', runId, 'flaky');
      assert.deepEqual(tries.map((x) => [x.tryNumber, x.state]), [[1, 'up_for_retry'], [2, 'success']], runId);
      assert.match(await logOf(engine, key('flaky'), 1), /flaky fails on try 1/);
      assert.deepEqual((await listTaskTries(engine, 'small', runId, 'total')).map((x) => x.state), ['success'], 'tasks that succeed are tried once');
    }
    const pids = await engine.query<{ value: unknown }>(`SELECT value FROM orch_task_result WHERE dag_id = 'small'`);
    assert.equal(pids.length, 15, 'five results per run');
    assert.deepEqual(exec.errors, []);
  });
}

test('pglite: runSchedulerWithExecutor (what `sparkify scheduler --executor local` runs) runs catchup to the end, then stops cleanly on its signal', async (t) => {
  const engine = await metadb(t, 'pglite');
  if (!engine) return;
  const folder = await folderWith(t, { small: smallDagFile('small') });
  const clock = new TestClock('2018-11-01T03:00:00Z');
  const stop = new AbortController();
  const finished: string[] = [];
  let ticks = 0;
  await runSchedulerWithExecutor({
    engine, clock, signal: stop.signal, dagFolder: folder, pausedAtCreation: false,
    // A real idle pause, but only as a fallback: each finished try wakes the loop (the test would take minutes without).
    idleMs: 60_000,
    onTick: async () => {
      ticks++;
      const runs = await listDagRuns(engine, 'small');
      if (runs.length === 3 && runs.every((r) => r.state === 'success')) stop.abort();
    },
    executor: { secrets: testBox, dagFolder: folder, parallelism: 4, pollMs: 60_000, logFlushMs: 20, onFinished: (c, o) => finished.push(`${c.runId} ${c.taskId} ${c.tryNumber} ${o.state}`) },
  });
  const runs = await listDagRuns(engine, 'small');
  assert.deepEqual(runs.map((r) => r.state), ['success', 'success', 'success']);
  assert.equal(finished.length, 3 * 6, 'five tasks a run, flaky twice');
  assert.equal(finished.filter((f) => f.endsWith('flaky 1 up_for_retry')).length, 3);
  assert.ok(ticks < 200, `woken by the executor, not spinning (${ticks} ticks)`);
});
