import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as yieldTurn, setTimeout as sleep } from 'node:timers/promises';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { PostgresEngine } from '../../../src/engines/postgres/postgres-engine.ts';
import { claimingOnly } from '../../../src/orchestrator/metadb/claim-scope.ts';
import { claimTaskInstances, type ClaimedTask } from '../../../src/orchestrator/metadb/claim-task-instances.ts';
import { migrate } from '../../../src/orchestrator/metadb/migrate.ts';
import { setTaskState } from '../../../src/orchestrator/metadb/task-instances.ts';
import { testDatabase } from '../../support/postgres.ts';
import { engineKinds, metadb, task } from './fixtures.ts';
import { seedQueued, type SeedDag } from './seed.ts';

const now = new Date('2026-12-07T12:00:00Z');
const claim = (tx: Parameters<typeof claimTaskInstances>[0], worker: string, limit: number) =>
  claimTaskInstances(tx, { worker, hostname: 'test-host', limit, now, leaseMs: 60_000 });
const keyOf = (c: { dagId: string; runId: string; taskId: string }) => `${c.dagId}/${c.runId}/${c.taskId}`;

for (const kind of engineKinds) {
  test(`${kind}: a claim takes the highest priority weight first, then the earliest queued, and records the try`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    await seedQueued(engine, {}, [{ id: 'd', maxActiveTasks: 16, runs: 2, tasks: [task('low', { priorityWeight: 1 }), task('high', { priorityWeight: 10 }), task('mid', { priorityWeight: 5 })] }]);
    const first = await engine.transaction((tx) => claim(tx, 'w1', 3));
    assert.deepEqual(first.map((c) => [c.taskId, c.runId.slice(11, 24)]), [['high', '2018-11-01T00'], ['high', '2018-11-01T01'], ['mid', '2018-11-01T00']]);
    assert.ok(first.every((c) => c.tryNumber === 1 && c.leaseUntil.getTime() === now.getTime() + 60_000));
    const tis = await engine.query<{ state: string; claimed_by: string; try_number: number }>(`SELECT state, claimed_by, try_number FROM orch_task_instance WHERE task_id = 'high'`);
    assert.deepEqual(tis, [{ state: 'running', claimed_by: 'w1', try_number: 1 }, { state: 'running', claimed_by: 'w1', try_number: 1 }]);
    const tries = await engine.query(`SELECT task_id, try_number, state, hostname, start_date FROM orch_task_try ORDER BY task_id, run_id`);
    assert.equal(tries.length, 3);
    assert.deepEqual(tries[0], { task_id: 'high', try_number: 1, state: 'running', hostname: 'test-host', start_date: now });
  });

  test(`${kind}: pool slots and a DAG's maxActiveTasks cap a claim; finishing a task frees its slot`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    await seedQueued(engine, { two: 2, none: 0 }, [
      { id: 'a', maxActiveTasks: 16, runs: 1, tasks: ['t1', 't2', 't3', 't4', 't5'].map((id) => task(id, { pool: 'two' })) },
      { id: 'b', maxActiveTasks: 1, runs: 3, tasks: [task('x'), task('y')] },
      { id: 'c', maxActiveTasks: 16, runs: 1, tasks: [task('z', { pool: 'none' })] },
    ]);
    const claimed = await engine.transaction((tx) => claim(tx, 'w', 100));
    const byPool = (pool: string) => claimed.filter((c) => c.pool === pool);
    assert.equal(byPool('two').length, 2, 'two slots');
    assert.ok(byPool('two').every((c) => c.poolRunning === 2 && c.poolSlots === 2));
    assert.equal(claimed.filter((c) => c.dagId === 'b').length, 1, 'maxActiveTasks 1');
    assert.equal(byPool('none').length, 0, 'a pool of no slots runs nothing');
    assert.deepEqual(await engine.transaction((tx) => claim(tx, 'w2', 100)), [], 'full: nothing more');
    const done = claimed.find((c) => c.pool === 'two') as ClaimedTask;
    assert.equal(await setTaskState(engine, done, { state: 'success', expected: ['running'], now, claim: { worker: 'w', tryNumber: 1 } }), true);
    const next = await engine.transaction((tx) => claim(tx, 'w2', 100));
    assert.deepEqual(next.map((c) => [c.pool, c.poolRunning]), [['two', 2]], 'one slot freed, one claimed');
  });

  test(`${kind}: a scoped claim takes only its DAG's or run's task instances, and counts every running one against the pools`, async (t) => {
    const engine = await metadb(t, kind);
    if (!engine) return;
    await seedQueued(engine, { two: 2 }, [
      { id: 'mine', maxActiveTasks: 16, runs: 2, tasks: [task('m1', { pool: 'two' }), task('m2', { pool: 'two' })] },
      { id: 'theirs', maxActiveTasks: 16, runs: 1, tasks: [task('t1', { pool: 'two', priorityWeight: 9 }), task('t2', { priorityWeight: 9 })] },
    ]);
    const scoped = (worker: string, only: { dagId: string; runId?: string }) =>
      engine.transaction((tx) => claimTaskInstances(tx, { worker, hostname: 'h', limit: 10, now, leaseMs: 60_000, only }));
    // Someone else's worker holds one of the pool's two slots.
    assert.deepEqual((await engine.transaction((tx) => claim(tx, 'theirs', 1))).map(keyOf), ['theirs/scheduled__2018-11-01T00:00:00.000Z/t1']);
    const run1 = 'scheduled__2018-11-01T01:00:00.000Z';
    const got = await scoped('test', { dagId: 'mine', runId: run1 });
    assert.deepEqual(got.map(keyOf), [`mine/${run1}/m1`], 'its run only, and one slot left of two');
    assert.deepEqual(got.map((c) => c.poolRunning), [2]);
    assert.deepEqual(await scoped('test', { dagId: 'nope' }), [], 'nothing queued in scope: nothing');
    const [t2] = await engine.query<{ state: string }>(`SELECT state FROM orch_task_instance WHERE task_id = 't2'`);
    assert.equal(t2?.state, 'queued', 'the other DAG\'s default-pool task, of higher priority, is left');
    // The scope a metadb handle carries (what `dags test` hands its LocalExecutor) applies the same way.
    const handle = claimingOnly(engine, { dagId: 'theirs' });
    assert.deepEqual((await handle.transaction((tx) => claim(tx, 'w', 10))).map(keyOf), ['theirs/scheduled__2018-11-01T00:00:00.000Z/t2']);
  });
}

test('postgres: a queued task instance another transaction holds locked is skipped, not waited for', async (t) => {
  const engine = await metadb(t, 'postgres');
  if (!engine) return;
  await seedQueued(engine, {}, [{ id: 'd', maxActiveTasks: 16, runs: 1, tasks: [task('a', { priorityWeight: 9 }), task('b')] }]);
  const other = new PostgresEngine({ connectionString: await urlOf(engine), max: 1 });
  t.after(() => other.close());
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const holder = other.transaction(async (tx) => {
    await tx.query(`SELECT 1 FROM orch_task_instance WHERE task_id = 'a' FOR UPDATE`);
    locked();
    await held;
  });
  await isLocked;
  const claimed = await engine.transaction((tx) => claim(tx, 'w', 10));
  release();
  await holder;
  assert.deepEqual(claimed.map((c) => c.taskId), ['b']);
});

/** The URL of a PostgresEngine made by freshEngine (its description masks only a password, which the test server's URL may hold). */
async function urlOf(engine: SqlEngine): Promise<string> {
  const [row] = await engine.query<{ db: string }>('SELECT current_database() AS db');
  const url = new URL(process.env.SPARKIFY_TEST_PG_URL as string);
  url.pathname = `/${row?.db}`;
  return url.toString();
}

const raceDags: SeedDag[] = [
  { id: 'a', maxActiveTasks: 4, runs: 5, tasks: Array.from({ length: 20 }, (_, i) => task(`t${String(i).padStart(2, '0')}`, { pool: i % 2 ? 'three' : 'five', priorityWeight: i % 3 })) },
  { id: 'b', maxActiveTasks: 16, runs: 5, tasks: Array.from({ length: 10 }, (_, i) => task(`u${i}`, { pool: i % 2 ? 'five' : 'default_pool' })) },
];
const racePools = { three: 3, five: 5 };
const limits = { pools: { three: 3, five: 5, default_pool: 128 } as Record<string, number>, dags: { a: 4, b: 16 } as Record<string, number> };

/**
 * One claimer: claims up to 2, checks inside the claiming transaction that no pool and no DAG runs more than it may
 * (the count sees every committed claim and its own), then finishes what it claimed, until nothing is left queued.
 */
async function claimer(engine: SqlEngine, worker: string, seen: string[], breaches: string[]): Promise<void> {
  for (;;) {
    const { claimed, left } = await engine.transaction(async (tx) => {
      const claimed = await claim(tx, worker, 2);
      for (const c of claimed) if (c.poolRunning > c.poolSlots) breaches.push(`${worker}: ${c.pool} ${c.poolRunning}/${c.poolSlots}`);
      for (const r of await tx.query<{ pool: string; n: number }>(`SELECT pool, count(*)::int AS n FROM orch_task_instance WHERE state = 'running' GROUP BY pool`)) {
        if (r.n > (limits.pools[r.pool] ?? 0)) breaches.push(`${worker}: pool ${r.pool} runs ${r.n}`);
      }
      for (const r of await tx.query<{ dag_id: string; n: number }>(`SELECT dag_id, count(*)::int AS n FROM orch_task_instance WHERE state = 'running' GROUP BY dag_id`)) {
        if (r.n > (limits.dags[r.dag_id] ?? 0)) breaches.push(`${worker}: DAG ${r.dag_id} runs ${r.n}`);
      }
      const [q] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_task_instance WHERE state IN ('queued', 'running')`);
      return { claimed, left: q?.n ?? 0 };
    });
    for (const c of claimed) {
      seen.push(keyOf(c));
      const ok = await setTaskState(engine, c, { state: 'success', expected: ['running'], now, claim: { worker, tryNumber: c.tryNumber } });
      if (!ok) breaches.push(`${worker}: could not finish ${keyOf(c)}`);
    }
    if (claimed.length === 0 && left === 0) return;
    // Others hold every free slot: let their turns run (no timer: the next claim waits on their locks if need be).
    if (claimed.length === 0) await yieldTurn();
  }
}

async function assertAllRanOnce(engine: SqlEngine, total: number, seen: string[], breaches: string[]): Promise<void> {
  assert.deepEqual(breaches, []);
  assert.equal(seen.length, total, 'every task instance claimed');
  assert.equal(new Set(seen).size, total, 'none claimed twice');
  const [s] = await engine.query<{ success: number; first_try: number; tries: number }>(
    `SELECT count(*) FILTER (WHERE state = 'success')::int AS success, count(*) FILTER (WHERE try_number = 1)::int AS first_try,
            (SELECT count(*)::int FROM orch_task_try) AS tries FROM orch_task_instance`);
  assert.deepEqual(s, { success: total, first_try: total, tries: total });
}

test('postgres: 4 claimers on 4 connections claim 150 task instances, each exactly once, never over a pool or maxActiveTasks', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  const engines = Array.from({ length: 4 }, () => new PostgresEngine({ connectionString: db.url, max: 1 }));
  t.after(() => Promise.all(engines.map((e) => e.close())));
  await migrate(engines[0] as SqlEngine);
  const total = await seedQueued(engines[0] as SqlEngine, racePools, raceDags);
  assert.equal(total, 150);
  const seen: string[] = [];
  const breaches: string[] = [];
  const perWorker = engines.map(() => [] as string[]);
  await Promise.all(engines.map((e, i) => claimer(e, `w${i}`, perWorker[i] as string[], breaches)));
  seen.push(...perWorker.flat());
  await assertAllRanOnce(engines[0] as SqlEngine, total, seen, breaches);
  assert.ok(perWorker.filter((w) => w.length > 0).length >= 2, `the work was shared: ${perWorker.map((w) => w.length).join(', ')}`);
});

test('pglite: 4 claimers on its one connection claim every task instance once, within pools and maxActiveTasks', async (t) => {
  const engine = await metadb(t, 'pglite');
  if (!engine) return;
  const total = await seedQueued(engine, racePools, raceDags);
  const seen: string[] = [];
  const breaches: string[] = [];
  await Promise.all([0, 1, 2, 3].map((i) => claimer(engine, `w${i}`, seen, breaches)));
  await assertAllRanOnce(engine, total, seen, breaches);
});

/**
 * A claim whose transaction stays open (as a worker's commit still on its way over the network) until `commit()`.
 * Resolves `claimed` as soon as the claim's statements have run.
 */
function openClaim(engine: SqlEngine, worker: string) {
  let commit!: () => void;
  const release = new Promise<void>((r) => (commit = r));
  let claimed!: (c: ClaimedTask[]) => void;
  const result = new Promise<ClaimedTask[]>((r) => (claimed = r));
  const done = engine.transaction(async (tx) => {
    claimed(await claim(tx, worker, 10));
    await release;
  });
  return { claimed: result, commit, done };
}

/** Resolves once `claiming` settles or a session of this database waits on a lock, whichever comes first. */
async function settledOrWaiting(checker: SqlEngine, claiming: Promise<unknown>): Promise<'settled' | 'waiting'> {
  let settled = false;
  void claiming.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 500; i++) {
    if (settled) return 'settled';
    const [w] = await checker.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if ((w?.n ?? 0) > 0) return 'waiting';
    await sleep(10);
  }
  throw new Error('the second claim neither finished nor waited on a lock in 5 s');
}

/*
 * A queuer between two claimers, in the one order that needs the locks. A free slot; claimer A claims the queued row
 * that fits it and has not committed yet; then a scheduler queues a row of higher priority; then claimer B claims.
 * Without the locks B's snapshot does not see A's claim (the slot looks free) and ranks the new row first, which A did
 * not lock, so SKIP LOCKED does not stop it: both commit and the cap is passed by one. That is why the race above (all
 * rows queued before it starts, every claimer ranking the same rows) cannot show it. With the locks B waits for A's
 * commit, counts its claim and claims nothing. B still sees A's claimed row as queued, so it asks for A's pool and
 * A's DAG both: either lock alone serialises the two. Checked by hand: with `FOR UPDATE` taken out of both
 * lock-claim-pools.sql and lock-claim-dags.sql, both cases fail (3 running of 2; B did not wait) while the 4-claimer
 * race above still passes.
 */
interface QueuedBetweenClaims {
  name: string;
  pools: Record<string, number>;
  limit: { pool: string; slots: number } | { dag: string; slots: number };
  dags: SeedDag[];
  /** The task instance queued between the two claims. */
  late: string;
}

const queuedBetweenClaims: QueuedBetweenClaims[] = [
  {
    name: 'a pool\'s slots', pools: { two: 2 }, limit: { pool: 'two', slots: 2 },
    dags: [
      { id: 'x', maxActiveTasks: 16, runs: 1, tasks: [task('x1', { pool: 'two' }), task('x2', { pool: 'two' })] },
      { id: 'z', maxActiveTasks: 16, runs: 1, tasks: [task('z1', { pool: 'two', priorityWeight: 50 })] },
    ],
    late: 'z1',
  },
  {
    name: 'a DAG\'s maxActiveTasks', pools: { pa: 10, pb: 10 }, limit: { dag: 'y', slots: 2 },
    dags: [{ id: 'y', maxActiveTasks: 2, runs: 1, tasks: [task('y1', { pool: 'pa' }), task('y2', { pool: 'pa' }), task('y3', { pool: 'pb', priorityWeight: 50 })] }],
    late: 'y3',
  },
];

for (const c of queuedBetweenClaims) {
  test(`postgres: a task instance queued between two claimers' claims does not take ${c.name} twice: the second claim waits for the first to commit, then counts it`, async (t) => {
    const db = await testDatabase(t);
    if (!db) return;
    const connect = () => new PostgresEngine({ connectionString: db.url, max: 1 });
    const [a, b, queuer] = [connect(), connect(), connect()];
    t.after(() => Promise.all([a, b, queuer].map((e) => e.close())));
    await migrate(a);
    await seedQueued(a, c.pools, c.dags);
    // The late row is not queued yet; one slot of the cap is taken by a claim already committed.
    await a.query(`UPDATE orch_task_instance SET state = 'scheduled', queued_at = NULL WHERE task_id = $1`, [c.late]);
    assert.equal((await a.transaction((tx) => claim(tx, 'w0', 1))).length, 1);

    const first = openClaim(a, 'wa');
    assert.equal((await first.claimed).length, 1, 'A takes the last free slot (not committed yet)');
    await queuer.query(`UPDATE orch_task_instance SET state = 'queued', queued_at = $2 WHERE task_id = $1 AND state = 'scheduled'`, [c.late, now]);
    const second = b.transaction((tx) => claim(tx, 'wb', 10));
    const seenFirst = await settledOrWaiting(queuer, second);
    first.commit();
    await first.done;
    const got = await second;

    const [running] = 'pool' in c.limit
      ? await queuer.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_task_instance WHERE state = 'running' AND pool = $1`, [c.limit.pool])
      : await queuer.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_task_instance WHERE state = 'running' AND dag_id = $1`, [c.limit.dag]);
    assert.ok((running?.n ?? 0) <= c.limit.slots, `${running?.n} running, more than ${c.limit.slots}: B claimed ${got.map(keyOf).join(', ')} (it ${seenFirst === 'waiting' ? 'waited' : 'did not wait'})`);
    assert.deepEqual([seenFirst, got], ['waiting', []], 'B waited on a lock, then found the cap full');
  });
}
