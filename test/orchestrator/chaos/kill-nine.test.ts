// Issue 15 §9's chaos test (graphile-worker keeps such a harness beside its code): real `sparkify scheduler` and
// `sparkify worker` processes on the Postgres test server run a backfill of the Sparkify warehouse DAG (its real
// operators, on a Postgres warehouse, over the course sample) while a seeded schedule kill -9s the scheduler and the
// workers at random moments, restarting each. The backfill must finish, no task instance may have run twice at once,
// and the warehouse must equal a clean run of the same intervals. SPARKIFY_CHAOS_SEED=<n> replays a schedule's choices
// (the moments are the same delays after the same observed conditions; the machine's timing still varies), and
// SPARKIFY_CHAOS_DUMP=<file> writes the kills, tries and runs there as JSON, to read a failure's timeline.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { SeededRandom } from '../../../src/core/seeded-random.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { PostgresEngine } from '../../../src/engines/postgres/postgres-engine.ts';
import { putConnection } from '../../../src/orchestrator/metadb/connections.ts';
import { migrate } from '../../../src/orchestrator/metadb/migrate.ts';
import { SecretBox } from '../../../src/orchestrator/metadb/secrets/secret-box.ts';
import { hourlyIntervals } from '../../../src/pipelines/warehouse-intervals/data-interval.ts';
import { loadDimension, loadFact } from '../../../src/pipelines/warehouse-intervals/load-star.ts';
import { stageEvents } from '../../../src/pipelines/warehouse-intervals/stage-events.ts';
import { stageSongs } from '../../../src/pipelines/warehouse-intervals/stage-songs.ts';
import { tableChecksums } from '../../../src/pipelines/warehouse/table-checksums.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { testDatabase } from '../../support/postgres.ts';
import { until } from '../executor/worker-processes.ts';
import { ledgerTable } from './fixtures/ledgered.ts';
import { kill9, running, sparkifyProcesses, type Kill, type SparkifyProcess } from './sparkify-processes.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');
const url = (path: string) => pathToFileURL(join(root, path)).href;
/** Hours of 2018-11-15 that all have plays: one run each. */
const hours = { from: new Date('2018-11-15T06:00:00Z'), to: new Date('2018-11-15T21:00:00Z') };
const runs = (hours.to.getTime() - hours.from.getTime()) / 3_600_000 + 1;
const kills = 10;
/** Long enough that a loaded machine's late heartbeat does not pass for a dead worker; short, so that a dead one's tasks are retried soon. */
const leaseMs = 3000;
const tables = ['songplays', 'users', 'songs', 'artists', 'time', 'staging_songs'];
const events = "log_data/{{ logical_date | date: '%Y/%m' }}/{{ ds }}-events.json";

/**
 * dags/sparkify.ts's tasks and settings, each task `ledgered`, with retries enough for every kill to land on the same
 * task instance and no retry delay (the real DAG waits 5 minutes; here a killed try is retried once its lease lapses).
 * Its Begin and End do nothing and are left out: each try is a process start.
 */
const chaosDag = `import { chain, dag } from '${url('src/orchestrator/dag/index.ts')}';
import { DataQuality, LoadDimension, LoadFact, StageToWarehouse } from '${url('src/orchestrator/operators/index.ts')}';
import { ledgered } from '${url('test/orchestrator/chaos/fixtures/ledgered.ts')}';
const d = dag({ id: 'chaos', schedule: '@hourly', start: '2018-11-15T00:00:00Z', catchup: true, maxActiveRuns: 1,
  defaultArgs: { retries: ${kills + 2}, retryDelay: 0 },
  params: { warehouse_conn_id: 'sparkify_warehouse', data_conn_id: 'sparkify_data', events_format: 'auto ignorecase' } });
const warehouse = '{{ params.warehouse_conn_id }}';
const data = '{{ params.data_conn_id }}';
const stage = [
  new StageToWarehouse(d, 'Stage_events', { table: 'staging_events', warehouseConnId: warehouse, storageConnId: data, key: "${events}", format: '{{ params.events_format }}' }),
  new StageToWarehouse(d, 'Stage_songs', { table: 'staging_songs', warehouseConnId: warehouse, storageConnId: data, key: 'song_data', format: 'auto' }),
];
const fact = new LoadFact(d, 'Load_songplays_fact', { warehouseConnId: warehouse });
const dimensions = [
  new LoadDimension(d, 'Load_user_dim', { warehouseConnId: warehouse, table: 'users', mode: 'upsert' }),
  new LoadDimension(d, 'Load_song_dim', { warehouseConnId: warehouse, table: 'songs', mode: 'truncate-insert' }),
  new LoadDimension(d, 'Load_artist_dim', { warehouseConnId: warehouse, table: 'artists', mode: 'truncate-insert' }),
  new LoadDimension(d, 'Load_time_dim', { warehouseConnId: warehouse, table: 'time', mode: 'upsert' }),
];
const quality = new DataQuality(d, 'Run_data_quality_checks', { warehouseConnId: warehouse, tables: ['songplays', 'users', 'songs', 'artists', 'time'],
  checks: [{ name: 'songplay ids are unique', sql: 'SELECT songplay_id FROM songplays GROUP BY songplay_id HAVING count(*) > 1', expect: 'no rows' }] });
for (const op of [...stage, fact, ...dimensions, quality]) ledgered(op);
chain(stage, fact, dimensions, quality);
export default d;
`;
const tasksPerRun = 8;

/** The same intervals through the interval pipeline's own steps, in order, with the DAG's settings: no orchestrator. */
async function cleanRun(engine: SqlEngine): Promise<unknown> {
  const open = (l: Parameters<typeof openStore>[0]) => openStore(l, { region: 'us-east-1' });
  await stageSongs(engine, { from: sample.root, key: 'song_data', format: 'auto', open, loadId: 'songs' });
  for (const interval of hourlyIntervals(hours.from, new Date(hours.to.getTime() + 3_600_000))) {
    await stageEvents(engine, { interval, from: sample.root, key: 'log_data/2018/11/2018-11-15-events.json', format: 'auto ignorecase', open, loadId: interval.start.toISOString() });
    await loadFact(engine, interval);
    for (const [table, mode] of [['users', 'upsert'], ['songs', 'truncate-insert'], ['artists', 'truncate-insert'], ['time', 'upsert']] as const) {
      await loadDimension(engine, { table, mode, interval });
    }
  }
  return tableChecksums(engine, tables);
}

interface LedgerRow { run_id: string; task_id: string; try_number: number; pid: number; worker_pid: number; lock_was_held: boolean; started: Date; ended: Date | null; error: string | null }

test(`kill -9 of the scheduler and of workers, ${kills} times at seeded random moments during a backfill of ${runs} hourly runs on Postgres: it finishes, no task instance runs twice at once, the warehouse equals a clean run`, async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const metaDb = await testDatabase(t, 'chaos_metadb');
  const warehouseDb = await testDatabase(t, 'chaos_warehouse');
  const cleanDb = await testDatabase(t, 'chaos_clean');
  if (!metaDb || !warehouseDb || !cleanDb) return;
  const seed = process.env.SPARKIFY_CHAOS_SEED ? Number(process.env.SPARKIFY_CHAOS_SEED) : randomInt(2 ** 31);
  t.diagnostic(`seed ${seed} (SPARKIFY_CHAOS_SEED=${seed} replays this schedule's choices)`);
  const rng = new SeededRandom(seed);

  const meta = new PostgresEngine({ connectionString: metaDb.url });
  t.after(() => meta.close());
  await migrate(meta);
  await meta.exec(ledgerTable);
  const key = randomBytes(32);
  const box = new SecretBox(key);
  const none = { port: null, login: null, password: null, schema: null, description: null };
  const postgresConnection = (connId: string, dbUrl: string) => {
    const u = new URL(dbUrl);
    return { connId, connType: 'postgres', host: u.hostname, port: Number(u.port || 5432), login: decodeURIComponent(u.username), password: decodeURIComponent(u.password) || null, schema: u.pathname.slice(1), extra: {}, description: null };
  };
  await putConnection(meta, box, postgresConnection('chaos_ledger', metaDb.url));
  await putConnection(meta, box, postgresConnection('sparkify_warehouse', warehouseDb.url));
  await putConnection(meta, box, { connId: 'sparkify_data', connType: 'fs', host: null, extra: { path: sample.root }, ...none });
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-chaos-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dags = join(dir, 'dags');
  await mkdir(dags);
  await writeFile(join(dags, 'chaos.ts'), chaosDag);
  const procs = sparkifyProcesses(t, { SPARKIFY_SECRET_KEY: key.toString('hex'), SPARKIFY_DATA_DIR: join(dir, 'data') });

  const started = performance.now();
  const backfill = procs.start('backfill', ['dags', 'backfill', 'chaos', '--db', metaDb.url, '--dags', dags, '--from-date', hours.from.toISOString(), '--to-date', hours.to.toISOString(), '--no-wait']);
  assert.equal((await backfill.exited).code, 0, backfill.output());
  assert.match(backfill.output(), new RegExp(`chaos: ${runs} intervals: ${runs} to create`));
  const startScheduler = () => procs.start('scheduler', ['scheduler', '--db', metaDb.url, '--dags', dags, '--executor', 'none', '--idle-ms', '100']);
  const startWorker = () => procs.start('worker', ['worker', '--metadb', metaDb.url, '--dags', dags, '--concurrency', '2', '--lease-ms', String(leaseMs), '--poll-ms', '50']);
  let scheduler = startScheduler();
  const workers = [startWorker(), startWorker()];

  const finishedRuns = async () => Number((await meta.query<{ n: number }>(`SELECT count(*)::int AS n FROM orch_dag_run WHERE dag_id = 'chaos' AND state IN ('success', 'failed')`))[0]?.n);
  /** Workers whose task process is inside a try's execute (its ledger row open). */
  const executingWorkers = async () => {
    const rows = await meta.query<{ worker_pid: number }>('SELECT DISTINCT worker_pid FROM chaos_ledger WHERE ended IS NULL AND worker_pid = ANY($1)', [workers.map((w) => w.pid)]);
    return workers.filter((w) => rows.some((r) => r.worker_pid === w.pid));
  };
  /** Workers holding a claim on a running task instance (from the claim to the recorded outcome: the try's process starting, its execute, its report). */
  const busyWorkers = async () => {
    const rows = await meta.query<{ claimed_by: string }>(`SELECT DISTINCT claimed_by FROM orch_task_instance WHERE dag_id = 'chaos' AND state = 'running'`);
    return workers.filter((w) => rows.some((r) => r.claimed_by?.includes(`:${w.pid}:`)));
  };
  const randomMoment = (from: number, to: number) => new Promise((r) => setTimeout(r, rng.int(from, to)));
  const up = (p: SparkifyProcess, banner: string) => until(`${p.role} ${p.pid} to start`, () => p.output().includes(banner) || !running(p), 60_000);

  // The schedule: 4 scheduler kills and 6 worker kills in a seeded order.
  const victims: ('scheduler' | 'worker')[] = ['scheduler', 'scheduler', 'scheduler', 'scheduler', 'worker', 'worker', 'worker', 'worker', 'worker', 'worker'].slice(0, kills) as never;
  for (let i = victims.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [victims[i], victims[j]] = [victims[j] as never, victims[i] as never];
  }
  const done: Kill[] = [];
  for (const [i, role] of victims.entries()) {
    // Spread over the first half of the backfill (kill i once i/kills of its first half have finished), then a seeded
    // pause: with warm task processes an idle machine runs a run in well under a second, so the second half is what
    // keeps the last kills landing before the end.
    const progress = Math.floor((i * (runs / 2)) / kills);
    await until(`${progress} runs to finish before kill ${i + 1}`, async () => (await finishedRuns()) >= progress, 120_000);
    await randomMoment(0, 1000);
    let victim: SparkifyProcess;
    if (role === 'scheduler') {
      await up(scheduler, 'scheduler started');
      await randomMoment(100, 1500);
      victim = scheduler;
    } else {
      // Mid-task, by a seeded coin: inside a try's execute (writing to the warehouse), or anywhere in a claim (the
      // try's process starting, running, reporting).
      const inExecute = rng.next() < 0.5;
      let busy: SparkifyProcess[] = [];
      await until('a worker running a task', async () => (busy = await (inExecute ? executingWorkers() : busyWorkers())).length > 0, 60_000);
      victim = rng.pick(busy);
      await randomMoment(0, inExecute ? 30 : 300);
    }
    assert.ok((await finishedRuns()) < runs, `the backfill finished after only ${done.length} of ${kills} kills (seed ${seed}): give it more runs`);
    assert.ok(running(victim), `${victim.role} ${victim.pid} died on its own (seed ${seed}):\n${victim.output()}`);
    done.push(await kill9(victim));
    if (role === 'scheduler') scheduler = startScheduler();
    else workers[workers.indexOf(victim)] = startWorker();
  }
  const killsDone = performance.now();
  await until(`all ${runs} runs to finish (seed ${seed})`, async () => (await finishedRuns()) === runs, 180_000);
  const finished = performance.now();
  for (const p of [scheduler, ...workers]) p.process.kill('SIGTERM');
  for (const p of [scheduler, ...workers]) assert.equal((await p.exited).code, 0, `${p.role} ${p.pid} exits cleanly on SIGTERM:\n${p.output()}`);

  if (process.env.SPARKIFY_CHAOS_DUMP) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(process.env.SPARKIFY_CHAOS_DUMP, JSON.stringify({ kills: done, tries: await meta.query('SELECT run_id, task_id, try_number, state, start_date, end_date, error FROM orch_task_try ORDER BY start_date'), runs: await meta.query('SELECT run_id, state, start_date, end_date, queued_at FROM orch_dag_run ORDER BY logical_date') }, null, 1));
  }
  // Every run and task instance ended in success.
  const runStates = await meta.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM orch_dag_run WHERE dag_id = 'chaos' GROUP BY state`);
  assert.deepEqual(runStates, [{ state: 'success', n: runs }], `seed ${seed}`);
  const tiStates = await meta.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM orch_task_instance WHERE dag_id = 'chaos' GROUP BY state`);
  assert.deepEqual(tiStates, [{ state: 'success', n: runs * tasksPerRun }], `seed ${seed}`);

  // No task instance ran twice at once. (1) No try found its task instance's advisory lock held: an earlier try's
  // process was never still alive when a later one started. (2) The ledger's own intervals say the same: consecutive
  // tries of a task instance do not overlap, and a try that never ended belonged to a killed worker whose task
  // processes were all seen dead before the next try started.
  const ledger = await meta.query<LedgerRow>('SELECT * FROM chaos_ledger ORDER BY run_id, task_id, started');
  assert.deepEqual(ledger.filter((r) => r.lock_was_held), [], `a try found its task instance's lock held (seed ${seed})`);
  assert.deepEqual(ledger.filter((r) => r.error !== null).map((r) => `${r.run_id} ${r.task_id} try ${r.try_number}: ${r.error}`), [], `tries failed on their own (seed ${seed})`);
  const byInstance = Map.groupBy(ledger, (r) => `${r.run_id}/${r.task_id}`);
  assert.equal(byInstance.size, runs * tasksPerRun);
  let pairs = 0;
  let killedTries = 0;
  for (const [instance, tries] of byInstance) {
    assert.notEqual(tries.at(-1)?.ended, null, `${instance}: its last try ended`);
    for (let i = 0; i + 1 < tries.length; i++) {
      const [a, b] = [tries[i] as LedgerRow, tries[i + 1] as LedgerRow];
      pairs++;
      if (a.ended !== null) {
        assert.ok(a.ended <= b.started, `${instance}: try ${a.try_number} (pid ${a.pid}) ended ${a.ended.toISOString()} after try ${b.try_number} started ${b.started.toISOString()} (seed ${seed})`);
        continue;
      }
      killedTries++;
      const kill = done.find((k) => k.pid === a.worker_pid);
      assert.ok(kill, `${instance}: try ${a.try_number} (pid ${a.pid}) never ended, yet its worker ${a.worker_pid} was not killed (seed ${seed})`);
      assert.ok(kill.children.includes(a.pid), `${instance}: try ${a.try_number}'s process ${a.pid} was not among killed worker ${kill.pid}'s children`);
      assert.ok(kill.deadBy <= b.started.getTime(), `${instance}: try ${b.try_number} started ${b.started.toISOString()} before try ${a.try_number}'s process was seen dead (${new Date(kill.deadBy).toISOString()}) (seed ${seed})`);
    }
  }
  const workerKills = done.filter((k) => k.role === 'worker');
  const midTask = workerKills.filter((k) => ledger.some((r) => r.worker_pid === k.pid && r.ended === null)).length;
  assert.ok(midTask >= 1, 'at least one worker was killed with a try running');
  // Tries the scheduler took for dead (their lease lapsed) were all a killed worker's: no live worker's heartbeat was late.
  const reaped = await meta.query<{ error: string }>(`SELECT error FROM orch_task_try WHERE dag_id = 'chaos' AND error LIKE '%stopped renewing its lease%'`);
  const killedIds = (e: string) => workerKills.some((k) => e.includes(`:${k.pid}:`));
  assert.deepEqual(reaped.filter((r) => !killedIds(r.error)).map((r) => r.error), [], `a live worker's lease lapsed (seed ${seed})`);
  const withClaims = workerKills.filter((k) => reaped.some((r) => r.error.includes(`:${k.pid}:`))).length;

  // The warehouse equals a clean run of the same intervals.
  const warehouse = new PostgresEngine({ connectionString: warehouseDb.url });
  const clean = new PostgresEngine({ connectionString: cleanDb.url });
  t.after(() => Promise.all([warehouse.close(), clean.close()]));
  const actual = await tableChecksums(warehouse, tables);
  assert.deepEqual(actual, await cleanRun(clean), `seed ${seed}`);
  assert.ok(actual.every((c) => c.rows > 0), 'every table has rows');

  const s = (ms: number) => (ms / 1000).toFixed(1);
  t.diagnostic(`${kills} kills: ${done.length - workerKills.length} of the scheduler, ${workerKills.length} of workers (${withClaims} holding claims, ${reaped.length} tries reaped; ` +
    `${midTask} inside a task's execute); ${runs} runs x ${tasksPerRun} tasks all success; ${ledger.length} tries recorded for ${byInstance.size} task instances, ` +
    `${pairs} consecutive pairs checked (${killedTries} after a killed try), no lock found held`);
  t.diagnostic(`kills done at ${s(killsDone - started)} s, backfill finished at ${s(finished - started)} s`);
});
