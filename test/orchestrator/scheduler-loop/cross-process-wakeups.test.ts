// A real `sparkify scheduler --executor none` and one `sparkify worker` on a Postgres metadata database, each told to
// poll only every 10 s: a chain of tasks must still go from one task to the next in far less, because the scheduler
// notifies the worker when it queued, and the worker the scheduler when a try finished (cross-process-wakeups.ts).
// Without the notifications each link of the chain waits for the worker's poll or the scheduler's idle pause, whose
// two gaps add up to a whole poll interval (they run on the same period from the previous try's end).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { PostgresEngine } from '../../../src/engines/postgres/postgres-engine.ts';
import { migrate } from '../../../src/orchestrator/metadb/migrate.ts';
import { testDatabase } from '../../support/postgres.ts';
import { sparkifyProcesses } from '../chaos/sparkify-processes.ts';
import { until } from '../executor/worker-processes.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');
const pollMs = 10_000;
const tasks = 6;
/** A link of the chain (queued → started, or the upstream's end → queued) must take less than this. */
const linkMs = 2500;

const chainDag = `import { chain, dag, task } from '${pathToFileURL(join(root, 'src/orchestrator/dag/index.ts')).href}';
const d = dag({ id: 'wakeups', schedule: '@hourly', start: '2018-11-15T00:00:00Z', catchup: true });
chain(...Array.from({ length: ${tasks} }, (_, i) => task(async () => i, { dag: d, id: 't' + String(i).padStart(2, '0') })));
export default d;
`;

test(`a ${tasks}-task chain through a scheduler and a worker polling every ${pollMs / 1000} s: each link is notified, not polled`, async (t) => {
  const db = await testDatabase(t);
  if (db === undefined) return;
  const meta = new PostgresEngine({ connectionString: db.url });
  t.after(() => meta.close());
  await migrate(meta);
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-wakeups-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dags = join(dir, 'dags');
  await mkdir(dags);
  await writeFile(join(dags, 'wakeups.ts'), chainDag);
  const procs = sparkifyProcesses(t, { SPARKIFY_SECRET_KEY: randomBytes(32).toString('hex'), SPARKIFY_DATA_DIR: join(dir, 'data') });

  const backfill = procs.start('backfill', ['dags', 'backfill', 'wakeups', '--db', db.url, '--dags', dags, '--from-date', '2018-11-15T00:00:00Z', '--to-date', '2018-11-15T00:00:00Z', '--no-wait']);
  assert.equal((await backfill.exited).code, 0, backfill.output());
  // The worker first, so that the first task is not queued while the worker's process is still starting.
  const worker = procs.start('worker', ['worker', '--metadb', db.url, '--dags', dags, '--concurrency', '1', '--poll-ms', String(pollMs)]);
  await until('the worker to start', () => /worker \S+ started/.test(worker.output()), 60_000);
  const scheduler = procs.start('scheduler', ['scheduler', '--db', db.url, '--dags', dags, '--executor', 'none', '--idle-ms', String(pollMs)]);
  await until('the run to succeed', async () => (await meta.query(`SELECT 1 FROM orch_dag_run WHERE state = 'success'`)).length === 1, tasks * pollMs * 3);
  scheduler.process.kill('SIGTERM');
  worker.process.kill('SIGTERM');
  assert.equal((await scheduler.exited).code, 0, scheduler.output());
  assert.equal((await worker.exited).code, 0, worker.output());

  const rows = await meta.query<{ task_id: string; state: string; queued_at: Date; start_date: Date; end_date: Date }>(
    'SELECT task_id, state, queued_at, start_date, end_date FROM orch_task_instance ORDER BY task_id');
  assert.equal(rows.length, tasks);
  const links = rows.flatMap((r, i) => [
    ...(i === 0 ? [] : [{ link: `${rows[i - 1]?.task_id} ended → ${r.task_id} queued`, ms: r.queued_at.getTime() - (rows[i - 1] as typeof r).end_date.getTime() }]),
    { link: `${r.task_id} queued → started`, ms: r.start_date.getTime() - r.queued_at.getTime() },
  ]);
  const slow = links.filter((l) => l.ms >= linkMs);
  t.diagnostic(`links: ${links.map((l) => l.ms).join(', ')} ms; chain ${(rows.at(-1) as (typeof rows)[0]).end_date.getTime() - (rows[0] as (typeof rows)[0]).queued_at.getTime()} ms`);
  assert.deepEqual(rows.map((r) => r.state), Array(tasks).fill('success'));
  assert.deepEqual(slow, [], `every link under ${linkMs} ms (the poll is ${pollMs} ms)\n${scheduler.output()}\n${worker.output()}`);
});
