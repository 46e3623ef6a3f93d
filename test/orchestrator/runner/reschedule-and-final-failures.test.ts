import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TestClock } from '../../../src/core/clock.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { putConnection } from '../../../src/orchestrator/metadb/connections.ts';
import { moveTaskInstances, runTaskInstances } from '../../../src/orchestrator/metadb/task-instance-moves.ts';
import type { TaskInstanceKey } from '../../../src/orchestrator/metadb/task-instances.ts';
import { getResult } from '../../../src/orchestrator/metadb/task-results.ts';
import { dueTries } from '../../../src/orchestrator/scheduler/retry.ts';
import { engineKinds, metadb } from '../metadb/fixtures.ts';
import { dagFolder, instance, logOf, queue, queueRun, testBox, testExecutor, tryRow, versionOf } from './runner-fixture.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');
const operators = `import { ObjectKeySensor, DataQuality } from '${pathToFileURL(join(root, 'src/orchestrator/operators/index.ts')).href}';\n`;
const start = '2026-12-07T10:00:00.000Z';
const fiveMinutes = 300_000;

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-reschedule-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The sensor's object store: a local directory behind the connection `data`. */
async function dataStore(t: TestContext, engine: SqlEngine): Promise<string> {
  const dir = await tempDir(t);
  await putConnection(engine, testBox, { connId: 'data', connType: 'fs', host: null, port: null, login: null, schema: null, password: null, extra: { path: dir }, description: null });
  return dir;
}

/** What the scheduler loop does with a due reschedule or retry (advance-running-runs.ts), then its queueing. */
async function bringBack(engine: SqlEngine, key: TaskInstanceKey, now: Date): Promise<void> {
  const due = dueTries(await runTaskInstances(engine, key.dagId, [key.runId]), now).map((ti) => ti.taskId);
  assert.deepEqual(due, [key.taskId], `${key.taskId} is due at ${now.toISOString()}`);
  assert.deepEqual(await moveTaskInstances(engine, key.dagId, key.runId, due, 'scheduled', ['up_for_retry', 'up_for_reschedule'], now), [key.taskId]);
  await queue(engine, key, ['scheduled']);
}

async function rescheduledSince(engine: SqlEngine, key: TaskInstanceKey): Promise<Date | null> {
  const [row] = await engine.query<{ rescheduled_since: Date | null }>(
    'SELECT rescheduled_since FROM orch_task_instance WHERE dag_id = $1 AND run_id = $2 AND task_id = $3', [key.dagId, key.runId, key.taskId]);
  return row?.rescheduled_since ?? null;
}

async function tryCount(engine: SqlEngine, key: TaskInstanceKey): Promise<number> {
  const [row] = await engine.query<{ n: number }>('SELECT count(*)::int AS n FROM orch_task_try WHERE dag_id = $1 AND run_id = $2 AND task_id = $3', [key.dagId, key.runId, key.taskId]);
  return row?.n ?? 0;
}

for (const kind of engineKinds) {
  describe(`the runner's reschedules and final failures on ${kind}`, () => {
    test('a reschedule-mode sensor: up_for_reschedule at its next poke on the same try, then found once the key exists', async (t) => {
      const engine = await metadb(t, kind);
      if (engine === undefined) return;
      const dir = await dataStore(t, engine);
      const folder = await dagFolder(t, {
        'wait.ts': `${operators}const d = dag({ id: 'wait', schedule: null, start: '2018-11-01', defaultArgs: { retries: 3, retryDelay: '5m' } });
new ObjectKeySensor(d, 'events', { storageConnId: 'data', key: 'log_data/{{ ds }}-events.json', mode: 'reschedule', pokeInterval: '5m', timeout: '1h' });
export default d;`,
      });
      await queueRun(engine, await versionOf(folder, 'wait.ts'), 'manual__1');
      const k = { dagId: 'wait', runId: 'manual__1', taskId: 'events' };
      const clock = new TestClock(start);
      // The task's process runs on from the clock's time at its start: its instants lie within the real time elapsed.
      const before = Date.now();
      const { finished } = testExecutor(t, engine, folder, { clock });
      const [first] = await finished(1);
      const elapsed = Date.now() - before;
      assert.equal(first?.outcome.state, 'up_for_reschedule', JSON.stringify(first?.outcome));

      const waiting = await instance(engine, k);
      assert.deepEqual([waiting.state, waiting.tryNumber, waiting.maxTries, waiting.claimedBy], ['up_for_reschedule', 1, 4, null]);
      const since = await rescheduledSince(engine, k);
      const t0 = Date.parse(start);
      assert.ok(since !== null && since.getTime() >= t0 && since.getTime() <= t0 + elapsed, `the first poke is kept: ${since?.toISOString()}`);
      const next = waiting.nextTryAt?.getTime() ?? 0;
      assert.ok(next >= since.getTime() + fiveMinutes && next <= t0 + fiveMinutes + elapsed, `next_try_at is the poke plus its interval: ${waiting.nextTryAt?.toISOString()}`);
      assert.equal((await tryRow(engine, k, 1)).state, 'up_for_reschedule');
      assert.match(await logOf(engine, k, 1), /\[task\] poke 1: nothing at .*log_data\/2018-11-01-events\.json yet; rescheduled in 300000 ms/);

      // Not due before its time; due once the clock reaches it, with the key there by then.
      assert.deepEqual(dueTries(await runTaskInstances(engine, k.dagId, [k.runId]), clock.now()), []);
      await mkdir(join(dir, 'log_data'), { recursive: true });
      await writeFile(join(dir, 'log_data/2018-11-01-events.json'), '{}\n');
      clock.set(new Date(next));
      await bringBack(engine, k, clock.now());
      const [, second] = await finished(2);
      assert.equal(second?.outcome.state, 'success', JSON.stringify(second?.outcome));
      assert.equal(second?.claim.tryNumber, 1, 'the poke after a reschedule is on the same try');
      assert.deepEqual(second?.claim.rescheduledSince, since);

      const done = await instance(engine, k);
      assert.deepEqual([done.state, done.tryNumber, done.nextTryAt], ['success', 1, null]);
      assert.equal(await rescheduledSince(engine, k), null, 'cleared once the try ends');
      assert.equal(await tryCount(engine, k), 1, 'one try, reopened for the second poke');
      assert.equal((await tryRow(engine, k, 1)).state, 'success');
      assert.deepEqual(await getResult(engine, k), { found: true, value: 'log_data/2018-11-01-events.json' });
      const log = await logOf(engine, k, 1);
      assert.match(log, /poke 1: nothing at/, "the first poke's log is kept");
      assert.match(log, new RegExp(`try 1 of 4 .*; rescheduled, poking since ${since.toISOString().replace(/\./g, '\\.')}`));
      assert.match(log, /\[task\] found /);
    });

    test('a sensor past its timeout (counted from its first poke, across reschedules) fails without a retry, though it has 3', async (t) => {
      const engine = await metadb(t, kind);
      if (engine === undefined) return;
      await dataStore(t, engine);
      const folder = await dagFolder(t, {
        'late.ts': `${operators}const d = dag({ id: 'late', schedule: null, start: '2018-11-01', defaultArgs: { retries: 3, retryDelay: '5m' } });
new ObjectKeySensor(d, 'events', { storageConnId: 'data', key: 'never/there.json', mode: 'reschedule', pokeInterval: '5m', timeout: '8m' });
export default d;`,
      });
      await queueRun(engine, await versionOf(folder, 'late.ts'), 'manual__1');
      const k = { dagId: 'late', runId: 'manual__1', taskId: 'events' };
      const clock = new TestClock(start);
      const { finished } = testExecutor(t, engine, folder, { clock });
      const [first] = await finished(1);
      assert.equal(first?.outcome.state, 'up_for_reschedule');
      const since = await rescheduledSince(engine, k);
      assert.ok(since !== null);

      // Second poke at +5 min: 3 minutes of the timeout are left, so it comes back exactly when the timeout ends.
      clock.set((await instance(engine, k)).nextTryAt as Date);
      await bringBack(engine, k, clock.now());
      const [, second] = await finished(2);
      assert.equal(second?.outcome.state, 'up_for_reschedule');
      const again = await instance(engine, k);
      assert.deepEqual([again.tryNumber, again.nextTryAt?.toISOString()], [1, new Date(since.getTime() + 8 * 60_000).toISOString()]);
      assert.deepEqual(await rescheduledSince(engine, k), since, 'the first poke stays the first');

      clock.set(again.nextTryAt as Date);
      await bringBack(engine, k, clock.now());
      const [, , third] = await finished(3);
      assert.equal(third?.outcome.state, 'failed', JSON.stringify(third?.outcome));
      assert.match(third?.outcome.error ?? '', /^SPK_E_TIMEOUT: no object at .*never\/there\.json after 48\d s \(timeout 480 s\)$/);
      const failed = await instance(engine, k);
      assert.deepEqual([failed.state, failed.tryNumber, failed.maxTries, failed.nextTryAt], ['failed', 1, 4, null]);
      assert.equal(await rescheduledSince(engine, k), null);
      assert.match((await tryRow(engine, k, 1)).error ?? '', /^SPK_E_TIMEOUT: /);
      assert.match(await logOf(engine, k, 1), /the sensor timed out: failed without a retry/);
    });

    test("a failing DataQuality: failed, every check's result stored as its result quality_results, not as a return value", async (t) => {
      const engine = await metadb(t, kind);
      if (engine === undefined) return;
      const dir = await tempDir(t);
      await putConnection(engine, testBox, { connId: 'w', connType: 'duckdb', host: join(dir, 'w.duckdb'), port: null, login: null, schema: null, password: null, extra: {}, description: null });
      const folder = await dagFolder(t, {
        'dq.ts': `${operators}const d = dag({ id: 'dq', schedule: null, start: '2018-11-01' });
new DataQuality(d, 'checks', { warehouseConnId: 'w', checks: [
  { name: 'one is one', sql: 'SELECT 1', expect: { equals: 1 } },
  { name: 'two rows', sql: 'SELECT 1', expect: { equals: 2 } },
  { name: 'a missing table', sql: 'SELECT count(*) FROM nowhere', expect: 'not empty' },
] });
export default d;`,
      });
      await queueRun(engine, await versionOf(folder, 'dq.ts'), 'manual__1');
      const k = { dagId: 'dq', runId: 'manual__1', taskId: 'checks' };
      const { finished } = testExecutor(t, engine, folder, { clock: new TestClock(start) });
      const [done] = await finished(1);
      assert.equal(done?.outcome.state, 'failed');
      assert.match(done?.outcome.error ?? '', /SPK_E_QUALITY: 2 of 3 data quality checks failed: two rows \(expected 2, got 1\); a missing table/);
      const stored = await getResult(engine, k, 'quality_results');
      assert.ok(stored.found);
      const results = stored.value as { name: string; value: number | null; passed: boolean; reason?: string }[];
      assert.deepEqual(results.map((r) => [r.name, r.value, r.passed]), [['one is one', 1, true], ['two rows', 1, false], ['a missing table', null, false]]);
      assert.match(results[2]?.reason ?? '', /the query failed/);
      assert.deepEqual(await getResult(engine, k), { found: false }, 'a failure hands nothing downstream as its return value');
      assert.match(await logOf(engine, k, 1), /results are stored as the task's result 'quality_results'/);
    });
  });
}
