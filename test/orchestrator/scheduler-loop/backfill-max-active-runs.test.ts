import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClock } from '../../../src/core/clock.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { getBackfill } from '../../../src/orchestrator/metadb/backfills.ts';
import { listDagRuns } from '../../../src/orchestrator/metadb/dag-runs.ts';
import { upsertDagVersion } from '../../../src/orchestrator/metadb/dags.ts';
import { openBackfill, schedulerTick, type BackfillRequest } from '../../../src/orchestrator/scheduler-loop/index.ts';
import { dagVersion, engineKinds, metadb, task } from '../metadb/fixtures.ts';
import { workTasks } from './worker-moves.ts';

const d = (n: number) => new Date(Date.UTC(2018, 10, n));
// Two tasks in a chain: a run lasts three ticks (a, then b, then the run ends), so runs overlap across ticks.
const tasks = [task('a'), task('b', { upstream: ['a'] })];
const daily = { schedule: { kind: 'cron' as const, expression: '@daily' }, catchup: false, maxActiveRuns: 16 };

async function runningOf(engine: SqlEngine, backfillId: number): Promise<number> {
  const [r] = await engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_dag_run WHERE backfill_id = $1 AND state = 'running'`, [backfillId]);
  return r?.n ?? 0;
}

/**
 * Ticks the scheduler and works every claimed task, `ticks` times or until nothing moves, checking after each tick that
 * no backfill in `caps` has more runs running than its cap. Returns how many ran after each tick, per backfill.
 */
async function tickAndCheck(engine: SqlEngine, clock: TestClock, caps: Map<number, number>, ticks = 200): Promise<Map<number, number[]>> {
  const seen = new Map<number, number[]>([...caps.keys()].map((id) => [id, []]));
  for (let i = 0; i < ticks; i++) {
    const r = await schedulerTick(engine, clock);
    for (const [id, cap] of caps) {
      const n = await runningOf(engine, id);
      assert.ok(n <= cap, `tick ${i}: backfill ${id} has ${n} runs running, more than its ${cap}`);
      seen.get(id)?.push(n);
    }
    const claimed = await workTasks(engine, clock.now());
    clock.advance(1000);
    if (claimed.length === 0 && r.runsStarted === 0 && r.runsFinished.length === 0 && r.tasksQueued === 0) break;
  }
  return seen;
}

const most = (series: number[] | undefined) => Math.max(0, ...(series ?? []));

for (const kind of engineKinds) {
  test(`${kind}: each backfill's max_active_runs caps its own running runs at every tick (two at once, each on its own); resumed, it keeps its row and cap; it completes`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const clock = new TestClock('2018-12-01T00:00:00Z');
    await upsertDagVersion(engine, dagVersion('cap', tasks, daily), clock.now());
    const open = (over: Partial<BackfillRequest>) =>
      engine.transaction((tx) => openBackfill(tx, { dagId: 'cap', from: d(1), to: d(8), reprocess: 'none', now: clock.now(), ...over }));

    const dry = await open({ dryRun: true, maxActiveRuns: 3 });
    assert.deepEqual(dry.backfill, { id: null, resumed: false, dagId: 'cap', from: d(1), to: d(8), reprocess: 'none', maxActiveRuns: 3 });
    assert.equal((await open({ dryRun: true })).backfill.maxActiveRuns, 16, 'default: the DAG\'s maxActiveRuns');
    assert.deepEqual(await engine.query('SELECT id FROM orch_backfill'), [], 'a dry run records no backfill');

    const first = await open({ maxActiveRuns: 3 });
    const id = first.backfill.id as number;
    assert.deepEqual([first.backfill.resumed, first.runs.map((r) => r.action)], [false, Array(8).fill('create')]);
    assert.ok((await listDagRuns(engine, 'cap')).every((r) => r.backfillId === id && r.runType === 'backfill'), 'its runs point at it');
    // A second backfill of the same DAG at once, with a cap of 1: each backfill is capped on its own.
    const other = (await engine.transaction((tx) => openBackfill(tx, { dagId: 'cap', from: d(11), to: d(14), reprocess: 'none', now: clock.now(), maxActiveRuns: 1 }))).backfill.id as number;

    // Interrupted after a few ticks (the command stopped), then the same command again: the same row, its cap kept.
    const early = await tickAndCheck(engine, clock, new Map([[id, 3], [other, 1]]), 4);
    assert.deepEqual([most(early.get(id)), most(early.get(other))], [3, 1], 'both ran up to their caps, at once');
    const resumed = await open({});
    assert.deepEqual([resumed.backfill.id, resumed.backfill.resumed, resumed.backfill.maxActiveRuns], [id, true, 3]);
    assert.ok(resumed.runs.every((r) => r.action === 'keep'), 'what it made is kept');
    assert.equal((await engine.query('SELECT id FROM orch_backfill')).length, 2, 'no new row');
    // Resumed with a lower cap: the runs running go on, and no run starts while 2 or more run.
    assert.equal((await open({ maxActiveRuns: 2 })).backfill.maxActiveRuns, 2);
    const rest = (await tickAndCheck(engine, clock, new Map([[id, 3], [other, 1]]))).get(id) ?? [];
    const under = rest.findIndex((n) => n <= 2);
    assert.ok(under >= 0 && most(rest.slice(under)) === 2, `at most 2 once the earlier runs ended: ${rest.join(' ')}`);

    const runs = await listDagRuns(engine, 'cap');
    assert.equal(runs.length, 12);
    assert.ok(runs.every((r) => r.state === 'success'), 'every run of both backfills ended');
    const done = await getBackfill(engine, id);
    assert.ok(done?.completedAt instanceof Date, 'the backfill is completed once its runs have ended');
    assert.ok((await getBackfill(engine, other))?.completedAt instanceof Date);

    // The same range again once completed: a new backfill, which re-runs the runs it reprocesses within its own cap.
    const again = await open({ reprocess: 'completed', maxActiveRuns: 2 });
    assert.notEqual(again.backfill.id, id);
    assert.deepEqual(again.runs.map((r) => r.action), Array(8).fill('reprocess'));
    assert.ok((await listDagRuns(engine, 'cap')).filter((r) => r.logicalDate <= d(8)).every((r) => r.backfillId === again.backfill.id), 'the re-run runs are the new backfill\'s');
    const seenAgain = await tickAndCheck(engine, clock, new Map([[again.backfill.id as number, 2]]));
    assert.equal(most(seenAgain.get(again.backfill.id as number)), 2);
    assert.ok((await listDagRuns(engine, 'cap')).every((r) => r.state === 'success'));
  });
}
