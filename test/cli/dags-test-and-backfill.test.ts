import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { smallDagFile } from '../orchestrator/standalone/small-dag.ts';
import { runCli } from '../support/run-cli.ts';

async function workspace(t: TestContext, files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-dags-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dags = join(dir, 'dags');
  await mkdir(dags);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dags, name), text);
  const env = { SPARKIFY_DATA_DIR: join(dir, 'data') };
  return { dags, cli: (...args: string[]) => runCli(args, env) };
}

test('dags test: a good DAG runs once for the date (retries included) and exits 0; a bad one exits 1 naming the failed task; the embedded metadb needs no preparing', async (t) => {
  const { dags, cli } = await workspace(t, { 'good.ts': smallDagFile('good'), 'bad.ts': smallDagFile('bad', { failHard: true }) });
  const good = await cli('dags', 'test', 'good', '--date', '2018-11-01T05:30:00Z', '--dags', dags);
  assert.equal(good.code, 0, good.stderr);
  // Each try as it ends, with its log; the run is the scheduled run of 05:00 (05:30 rounded down to the schedule).
  assert.match(good.stdout, /flaky try 1\/2: up_for_retry \(SPK_E_TASK_FAILED: flaky fails on try 1\)\n( {4}\| .*\n)*? {4}\| .*\[task\] flaky try 1\n/);
  assert.match(good.stdout, /flaky try 2\/2: success/);
  assert.ok(good.stdout.indexOf('extract try 1/2: success') < good.stdout.indexOf('double try 1/2: success'), 'in the order they end');
  assert.match(good.stdout, /good manual__2018-11-01T05:00:00\+00:00 \(data interval 2018-11-01T05:00:00.000Z .. 2018-11-01T06:00:00.000Z\): success\n$/);
  const result = JSON.parse((await cli('tasks', 'list', 'good', '--json')).stdout) as { taskId: string; state: string }[];
  assert.deepEqual(result.map((r) => [r.taskId, r.state]).sort(), [['done', 'success'], ['double', 'success'], ['extract', 'success'], ['flaky', 'success'], ['total', 'success']]);
  // Its own run only: the DAG stays paused and no catchup run was made.
  const runs = JSON.parse((await cli('dags', 'runs', 'good', '--json')).stdout) as { runId: string }[];
  assert.deepEqual(runs.map((r) => r.runId), ['manual__2018-11-01T05:00:00+00:00']);

  const again = await cli('dags', 'test', 'good', '--date', '2018-11-01T05:00:00Z', '--dags', dags, '--json');
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).run.state, 'success', 'the same date tested again: the run is run again');

  const bad = await cli('dags', 'test', 'bad', '--date', '2018-11-01T05:00:00Z', '--dags', dags);
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stdout, /flaky try 2\/2: failed/);
  assert.match(bad.stdout, /: failed\n$/);
  assert.match(bad.stderr, /^error: SPK_E_RUN_FAILED: run manual__2018-11-01T05:00:00\+00:00 of bad failed: failed: flaky; upstream failed: done\n/);

  const missing = await cli('dags', 'test', 'nope', '--date', '2018-11-01', '--dags', dags);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /SPK_E_NOT_FOUND: no DAG nope/);
  assert.equal((await cli('dags', 'test', 'good', '--date', 'soon', '--dags', dags)).code, 2);
});

test('dags backfill on the embedded metadb runs its runs here with the local executor: 3 hourly intervals complete, progress on stderr; again: nothing left to do', async (t) => {
  const { dags, cli } = await workspace(t, { 'small.ts': smallDagFile('small') });
  const args = ['dags', 'backfill', 'small', '--from-date', '2018-11-02T00:00:00Z', '--to-date', '2018-11-02T02:00:00Z', '--dags', dags];
  const run = await cli(...args);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /backfill small: 3\/3 runs done \(0 failed\), 0 running, [\d.]+ runs\/s/);
  assert.equal(run.stdout, 'small: 3 runs, 3 succeeded, 0 failed\n');
  const runs = JSON.parse((await cli('dags', 'runs', 'small', '--json')).stdout) as { runId: string; state: string; runType: string }[];
  assert.deepEqual(runs.map((r) => [r.runId, r.runType, r.state]), [0, 1, 2].reverse().map((h) => [`backfill__2018-11-02T0${h}:00:00+00:00`, 'backfill', 'success']));
  const tasks = JSON.parse((await cli('tasks', 'list', 'small', '--run', 'backfill__2018-11-02T01:00:00+00:00', '--json')).stdout) as { taskId: string; state: string; tryNumber: number }[];
  assert.deepEqual(tasks.find((x) => x.taskId === 'flaky'), { ...tasks.find((x) => x.taskId === 'flaky'), state: 'success', tryNumber: 2 });

  const resumed = await cli(...args, '--json');
  assert.equal(resumed.code, 0, resumed.stderr);
  // The first backfill completed, so this is a second one (its runs all kept), completed at its first tick.
  assert.deepEqual(JSON.parse(resumed.stdout), { dagId: 'small', backfillId: 2, runs: 3, success: 3, failed: 0 });
});
