import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { PostgresEngine } from '../../../src/engines/postgres/postgres-engine.ts';
import { claimTaskInstances } from '../../../src/orchestrator/metadb/claim-task-instances.ts';
import { getDagFile, recordDagFile } from '../../../src/orchestrator/metadb/dag-files.ts';
import { createDagRun, listDagRuns, setDagRunState } from '../../../src/orchestrator/metadb/dag-runs.ts';
import { getDag, markFileDagsInactive, setDagPaused, upsertDagVersion } from '../../../src/orchestrator/metadb/dags.ts';
import { clearImportError, listImportErrors, recordImportError } from '../../../src/orchestrator/metadb/import-errors.ts';
import { lapsedLeases, renewLease } from '../../../src/orchestrator/metadb/leases.ts';
import { migrate } from '../../../src/orchestrator/metadb/migrate.ts';
import { createTaskInstances, listTaskInstances, setTaskState } from '../../../src/orchestrator/metadb/task-instances.ts';
import { testDatabase } from '../../support/postgres.ts';
import { at, dagVersion, engineKinds, metadb, task } from './fixtures.ts';

const now = at('2026-12-07T12:00:00Z');
const hour = (i: number) => new Date(Date.UTC(2018, 10, 1, i));
const run = (dagId: string, version: string, i: number) => ({
  dagId, runId: `scheduled__${hour(i).toISOString()}`, version, runType: 'scheduled' as const, logicalDate: hour(i), dataIntervalStart: hour(i), dataIntervalEnd: hour(i + 1),
});

for (const kind of engineKinds) {
  test(`${kind}: DAG versions are added only when the hash changes; DAGs a file drops become inactive; pause`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const v1 = dagVersion('d', [task('a')], { file: 'f.ts' });
    assert.deepEqual(await upsertDagVersion(engine, v1, now), { created: true });
    assert.deepEqual(await upsertDagVersion(engine, v1, now), { created: false }, 'unchanged hash: no new version');
    const v2 = dagVersion('d', [task('a'), task('b')], { file: 'f.ts' });
    assert.deepEqual(await upsertDagVersion(engine, v2, now), { created: true });
    await upsertDagVersion(engine, dagVersion('e', [task('a')], { file: 'f.ts' }), now);
    const d = await getDag(engine, 'd');
    assert.equal(d?.latestVersion, v2.hash);
    assert.equal(d?.isPaused, true, 'new DAGs start paused');
    assert.deepEqual(d?.serialized, v2.dag);
    const [n] = await engine.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_dag_version WHERE dag_id = 'd'`);
    assert.equal(n?.n, 2);
    assert.deepEqual(await markFileDagsInactive(engine, 'f.ts', ['d']), ['e']);
    assert.equal((await getDag(engine, 'e'))?.isActive, false);
    assert.equal(await setDagPaused(engine, 'd', false), true);
    assert.equal((await getDag(engine, 'd'))?.isPaused, false);
    assert.equal(await setDagPaused(engine, 'nope', false), false);
  });

  test(`${kind}: import errors and DAG-file fingerprints`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    await recordImportError(engine, { file: 'bad.ts', line: 3, message: 'cycle a -> b -> a' }, now);
    await recordImportError(engine, { file: 'bad.ts', line: 7, message: 'unknown trigger rule' }, now);
    assert.deepEqual(await listImportErrors(engine), [{ file: 'bad.ts', line: 7, message: 'unknown trigger rule', createdAt: now }]);
    await clearImportError(engine, 'bad.ts');
    assert.deepEqual(await listImportErrors(engine), []);
    const f = { file: 'f.ts', size: 1234, mtimeMs: 1733572800123.5, sha256: 'ab'.repeat(32), parsedAt: now, dagIds: ['d', 'e'] };
    await recordDagFile(engine, f);
    await recordDagFile(engine, { ...f, size: 99 });
    assert.deepEqual(await getDagFile(engine, 'f.ts'), { ...f, size: 99 });
    assert.equal(await getDagFile(engine, 'nope.ts'), undefined);
  });

  test(`${kind}: runs are unique per logical date, listed newest first by state; task instances come from the run's version`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const v = dagVersion('d', [task('a', { retries: 2, pool: 'p', priorityWeight: 7 }), task('b')]);
    await upsertDagVersion(engine, v, now);
    assert.deepEqual(await createDagRun(engine, run('d', v.hash, 0), now), { created: true });
    assert.deepEqual(await createDagRun(engine, { ...run('d', v.hash, 0), runId: 'other' }, now), { created: false }, 'same logical date');
    await createDagRun(engine, run('d', v.hash, 1), now);
    await createDagRun(engine, run('d', v.hash, 2), now);
    assert.equal(await setDagRunState(engine, 'd', run('d', v.hash, 1).runId, 'running', ['queued'], now), true);
    assert.equal(await setDagRunState(engine, 'd', run('d', v.hash, 1).runId, 'running', ['queued'], now), false, 'no longer queued');
    assert.deepEqual((await listDagRuns(engine, 'd')).map((r) => r.logicalDate), [hour(2), hour(1), hour(0)]);
    assert.deepEqual((await listDagRuns(engine, 'd', { states: ['queued'] })).map((r) => r.logicalDate), [hour(2), hour(0)]);
    const runId = run('d', v.hash, 0).runId;
    // The DAG changes after the run was made: the run keeps its version's tasks.
    await upsertDagVersion(engine, dagVersion('d', [task('a'), task('b'), task('c')]), now);
    assert.deepEqual(await createTaskInstances(engine, 'd', runId), ['a', 'b']);
    assert.deepEqual(await createTaskInstances(engine, 'd', runId), [], 'idempotent');
    const [a] = await listTaskInstances(engine, 'd', runId);
    assert.deepEqual([a?.state, a?.maxTries, a?.pool, a?.priorityWeight, a?.tryNumber], ['none', 3, 'p', 7, 0]);
  });

  test(`${kind}: task states change only from the expected state; a worker's report only while it holds the claim`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    const v = dagVersion('d', [task('a', { retries: 1 })]);
    await upsertDagVersion(engine, v, now);
    const r = run('d', v.hash, 0);
    await createDagRun(engine, r, now);
    await createTaskInstances(engine, 'd', r.runId);
    const key = { dagId: 'd', runId: r.runId, taskId: 'a' };
    assert.equal(await setTaskState(engine, key, { state: 'queued', expected: ['scheduled'], now }), false, 'it is none, not scheduled');
    assert.equal(await setTaskState(engine, key, { state: 'scheduled', expected: ['none'], now }), true);
    assert.equal(await setTaskState(engine, key, { state: 'queued', expected: ['scheduled'], now }), true);
    await assert.rejects(setTaskState(engine, key, { state: 'running', expected: ['queued'], now }), /claimTaskInstances/);
    const [c] = await engine.transaction((tx) => claimTaskInstances(tx, { worker: 'w1', hostname: 'h', limit: 1, now, leaseMs: 30_000 }));
    assert.equal(c?.tryNumber, 1);
    // The lease: renewed while the worker lives, lapsed once it stops.
    assert.deepEqual(await engine.transaction((tx) => lapsedLeases(tx, new Date(now.getTime() + 29_000))), []);
    assert.equal(await renewLease(engine, key, { worker: 'w1', tryNumber: 1 }, new Date(now.getTime() + 60_000)), true);
    assert.deepEqual(await engine.transaction((tx) => lapsedLeases(tx, new Date(now.getTime() + 45_000))), []);
    const later = new Date(now.getTime() + 61_000);
    const lapsed = await engine.transaction((tx) => lapsedLeases(tx, later));
    assert.deepEqual(lapsed.map((l) => [l.taskId, l.claimedBy, l.tryNumber]), [['a', 'w1', 1]]);
    // The reaper moves it on; the dead worker's late reports change nothing.
    assert.equal(await setTaskState(engine, key, { state: 'up_for_retry', expected: ['running'], now: later, nextTryAt: new Date(later.getTime() + 300_000), claim: { worker: 'w1', tryNumber: 1 }, error: 'lease lapsed' }), true);
    assert.equal(await renewLease(engine, key, { worker: 'w1', tryNumber: 1 }, later), false);
    assert.equal(await setTaskState(engine, key, { state: 'success', expected: ['running'], now: later, claim: { worker: 'w1', tryNumber: 1 } }), false);
    const [ti] = await listTaskInstances(engine, 'd', r.runId);
    assert.deepEqual([ti?.state, ti?.claimedBy, ti?.leaseUntil, ti?.endDate], ['up_for_retry', null, null, later]);
    const tries = await engine.query(`SELECT try_number, state, end_date, error FROM orch_task_try`);
    assert.deepEqual(tries, [{ try_number: 1, state: 'up_for_retry', end_date: later, error: 'lease lapsed' }]);
  });
}

test('postgres: two schedulers creating the same runs at once create each run once', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  const engines = [0, 1].map(() => new PostgresEngine({ connectionString: db.url, max: 1 }));
  t.after(() => Promise.all(engines.map((e) => e.close())));
  const first = engines[0] as SqlEngine;
  await migrate(first);
  const v = dagVersion('d', [task('a'), task('b')]);
  await upsertDagVersion(first, v, now);
  const hours = Array.from({ length: 100 }, (_, i) => i);
  // Each scheduler makes every run with its task instances, one transaction per run, as a scheduler loop does.
  const scheduler = (engine: SqlEngine, name: string) => Promise.all(hours.map((i) => engine.transaction(async (tx) => {
    const { created } = await createDagRun(tx, { ...run('d', v.hash, i), runId: `${name}__${hour(i).toISOString()}` }, now);
    if (created) await createTaskInstances(tx, 'd', `${name}__${hour(i).toISOString()}`);
    return created;
  })));
  const [a, b] = await Promise.all([scheduler(engines[0] as SqlEngine, 's1'), scheduler(engines[1] as SqlEngine, 's2')]);
  assert.ok(hours.every((i) => a?.[i] !== b?.[i]), 'for each logical date exactly one scheduler created the run');
  const [counts] = await first.query<{ runs: number; tis: number }>('SELECT (SELECT count(*)::int FROM orch_dag_run) AS runs, (SELECT count(*)::int FROM orch_task_instance) AS tis');
  assert.deepEqual(counts, { runs: 100, tis: 200 });
});
