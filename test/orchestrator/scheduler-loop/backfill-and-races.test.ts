import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TestClock } from '../../../src/core/clock.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { PostgresEngine } from '../../../src/engines/postgres/postgres-engine.ts';
import { listDagRuns } from '../../../src/orchestrator/metadb/dag-runs.ts';
import { getDag, setDagPaused, upsertDagVersion } from '../../../src/orchestrator/metadb/dags.ts';
import { migrate } from '../../../src/orchestrator/metadb/migrate.ts';
import { listImportErrors } from '../../../src/orchestrator/metadb/import-errors.ts';
import { createBackfill, schedulerTick, syncDagFolder, type Reprocess } from '../../../src/orchestrator/scheduler-loop/index.ts';
import { testDatabase } from '../../support/postgres.ts';
import { dagVersion, engineKinds, metadb, task } from '../metadb/fixtures.ts';
import { workTasks } from './worker-moves.ts';

const daily = { schedule: { kind: 'cron' as const, expression: '@daily' }, catchup: false, maxActiveRuns: 3 };
const d = (n: number) => new Date(Date.UTC(2018, 10, n));

async function drain(engine: SqlEngine, clock: TestClock, fail: (runId: string) => boolean = () => false) {
  for (let i = 0; i < 40; i++) {
    const r = await schedulerTick(engine, clock);
    const claimed = await workTasks(engine, clock.now(), (c) => (fail(c.runId) ? 'failed' : 'success'));
    if (claimed.length === 0 && r.runsStarted === 0 && r.runsFinished.length === 0 && r.tasksQueued === 0) return;
  }
  throw new Error('the runs never settled');
}

for (const kind of engineKinds) {
  test(`${kind}: backfill creates the missing intervals; --reprocess none|failed|completed re-runs what Airflow 3 does`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const clock = new TestClock('2018-11-10T00:00:00Z');
    await upsertDagVersion(engine, dagVersion('bf', [task('a')], daily), clock.now());
    // Nov 2 exists and failed, Nov 3 exists and succeeded (made by a first backfill); the DAG stays paused.
    await engine.transaction((tx) => createBackfill(tx, { dagId: 'bf', from: d(2), to: d(3), reprocess: 'none', now: clock.now() }));
    await drain(engine, clock, (runId) => runId.includes('11-02'));
    const byDate = async () => Object.fromEntries((await listDagRuns(engine, 'bf')).map((r) => [r.logicalDate.getUTCDate(), r.state]));
    assert.deepEqual(await byDate(), { 2: 'failed', 3: 'success' }, 'backfill runs run while the DAG is paused');
    const plan = async (reprocess: Reprocess, dryRun = false) =>
      (await engine.transaction((tx) => createBackfill(tx, { dagId: 'bf', from: d(1), to: d(4), reprocess, now: clock.now(), dryRun }))).map((p) => `${p.logicalDate.getUTCDate()}:${p.action}`);
    assert.deepEqual(await plan('completed', true), ['1:create', '2:reprocess', '3:reprocess', '4:create'], 'dry run');
    assert.deepEqual(await byDate(), { 2: 'failed', 3: 'success' }, 'a dry run changes nothing');
    assert.deepEqual(await plan('none'), ['1:create', '2:keep', '3:keep', '4:create']);
    await drain(engine, clock, (runId) => runId.includes('11-02'));
    assert.deepEqual(await byDate(), { 1: 'success', 2: 'failed', 3: 'success', 4: 'success' });
    assert.deepEqual(await plan('failed'), ['1:keep', '2:reprocess', '3:keep', '4:keep']);
    const ends = Object.fromEntries((await listDagRuns(engine, 'bf')).map((r) => [r.logicalDate.getUTCDate(), r.endDate?.getTime()]));
    clock.advance(60_000);
    await drain(engine, clock);
    assert.deepEqual(await byDate(), { 1: 'success', 2: 'success', 3: 'success', 4: 'success' });
    const ends2 = Object.fromEntries((await listDagRuns(engine, 'bf')).map((r) => [r.logicalDate.getUTCDate(), r.endDate?.getTime()]));
    assert.notEqual(ends2[2], ends[2], 'the failed run ran again');
    assert.equal(ends2[3], ends[3], 'the successful one did not');
    assert.deepEqual(await plan('completed'), ['1:reprocess', '2:reprocess', '3:reprocess', '4:reprocess']);
    clock.advance(60_000);
    await drain(engine, clock);
    const ends3 = (await listDagRuns(engine, 'bf')).map((r) => r.endDate?.getTime());
    assert.ok(ends3.every((e) => e === clock.now().getTime()), 'every run ran again');
    await assert.rejects(engine.transaction((tx) => createBackfill(tx, { dagId: 'bf', from: d(4), to: d(1), reprocess: 'none', now: clock.now() })), { code: 'SPK_E_CONFIG' });
  });

  test(`${kind}: DAG folder sync stores versions; import errors are listed, then cleared when the file is fixed; a removed file's DAGs go inactive`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const folder = mkdtempSync(join(tmpdir(), 'sparkify-dags-'));
    t.after(() => rmSync(folder, { recursive: true, force: true }));
    const api = new URL('../../../src/orchestrator/dag/index.ts', import.meta.url).pathname;
    const good = (id: string) => `import { dag, task } from '${api}';\nconst d = dag({ id: '${id}', schedule: '@daily', start: '2018-11-01', catchup: false });\ntask(() => 1, { dag: d, id: 'a' });\n`;
    writeFileSync(join(folder, 'one.ts'), good('one'));
    writeFileSync(join(folder, 'broken.ts'), `import { dag } from '${api}';\n\nthrow new Error('no warehouse configured');\n`);
    const clock = new TestClock('2018-11-10T00:00:00Z');
    const first = await syncDagFolder(engine, clock, { folder, pausedAtCreation: false });
    assert.deepEqual([first.parsed.sort(), first.newVersions, first.importErrors], [['broken.ts', 'one.ts'], ['one'], 1]);
    const errors = await listImportErrors(engine);
    assert.deepEqual(errors.map((e) => [e.file, e.line]), [['broken.ts', 3]]);
    assert.match(errors[0]?.message ?? '', /no warehouse configured/);
    const again = await syncDagFolder(engine, clock, { folder });
    assert.deepEqual([again.parsed, again.unchanged], [['broken.ts'], ['one.ts']], 'the unchanged good file is not parsed again');
    writeFileSync(join(folder, 'broken.ts'), good('two'));
    await syncDagFolder(engine, clock, { folder, pausedAtCreation: false });
    assert.deepEqual(await listImportErrors(engine), [], 'fixed: its error is gone');
    assert.equal((await getDag(engine, 'two'))?.isActive, true);
    assert.equal((await schedulerTick(engine, clock)).runsCreated, 2, 'the scheduler works from what was stored');
    rmSync(join(folder, 'one.ts'));
    const removed = await syncDagFolder(engine, clock, { folder });
    assert.deepEqual([removed.removed, removed.deactivated], [['one.ts'], ['one']]);
    assert.equal((await getDag(engine, 'one'))?.isActive, false);
  });
}

test('postgres: two schedulers at once never create a run twice nor queue a task instance twice', async (t) => {
  const db = await testDatabase(t);
  if (db === undefined) return;
  const a = new PostgresEngine({ connectionString: db.url });
  const b = new PostgresEngine({ connectionString: db.url });
  t.after(() => Promise.all([a.close(), b.close()]));
  await migrate(a);
  const clock = new TestClock('2018-11-03T00:00:00Z');
  const tasks = [task('s'), task('x', { upstream: ['s'] }), task('y', { upstream: ['s'] }), task('z', { upstream: ['x', 'y'] })];
  for (const id of ['p', 'q', 'r']) {
    await upsertDagVersion(a, dagVersion(id, tasks, { schedule: { kind: 'cron', expression: '@hourly' }, catchup: true, maxActiveRuns: 8 }), clock.now());
    await setDagPaused(a, id, false);
  }
  let created = 0;
  let queued = 0;
  for (let i = 0; i < 60; i++) {
    const reports = await Promise.all([schedulerTick(a, clock), schedulerTick(b, clock)]);
    for (const r of reports) (created += r.runsCreated), (queued += r.tasksQueued);
    await Promise.all([workTasks(a, clock.now(), undefined, 'wa'), workTasks(b, clock.now(), undefined, 'wb')]);
    const [left] = await a.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_dag_run WHERE state <> 'success'`);
    if (created === 3 * 48 && left?.n === 0) break;
  }
  const [runs] = await a.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_dag_run WHERE state = 'success'`);
  assert.equal(runs?.n, 3 * 48, 'every hour of two days, for three DAGs, done');
  assert.equal(created, 3 * 48, 'each run created by exactly one scheduler');
  assert.equal(queued, 3 * 48 * 4, 'each task instance queued exactly once');
  const [tries] = await a.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_task_try`);
  assert.equal(tries?.n, 3 * 48 * 4, 'and run once');
});
