import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/run-cli.ts';

const api = resolve(import.meta.dirname, '..', '..', 'src', 'orchestrator', 'dag', 'index.ts');

test('dags list (with import errors), show, trigger with conf, pause/unpause, runs, tasks list/state/clear, backfill --dry-run, lineage; one-line errors', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-dags-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dags = join(dir, 'dags');
  await mkdir(dags);
  await writeFile(join(dags, 'etl.ts'), `import { dag, task } from '${api}';\nconst d = dag({ id: 'etl', schedule: '@daily', start: '2018-11-01', catchup: false });\n` +
    `const a = task(() => 1, { dag: d, id: 'a' });\nconst b = task(() => 2, { dag: d, id: 'b' });\na.then(b);\n`);
  await writeFile(join(dags, 'bad.ts'), `\nthrow new Error('the bad file');\n`);
  const env = { SPARKIFY_DATA_DIR: join(dir, 'data') };
  const cli = (...args: string[]) => runCli(args, env);

  const list = await cli('dags', 'list', '--dags', dags);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /│ etl +│ etl\.ts +│ 0 0 \* \* \* +│ true/);
  assert.match(list.stdout, /1 import error\(s\):\n {2}bad\.ts:2: .*the bad file/);
  const json = JSON.parse((await cli('dags', 'list', '--json', '--no-parse')).stdout);
  assert.deepEqual(json.importErrors.map((e: { file: string; line: number }) => [e.file, e.line]), [['bad.ts', 2]]);
  assert.match((await cli('dags', 'show', 'etl', '--no-parse')).stdout, /│ b +│ FunctionTask +│ a +│ all_success/);

  const trig = await cli('dags', 'trigger', 'etl', '--logical-date', '2018-11-03T00:00:00Z', '--conf', '{"region":"us"}');
  assert.equal(trig.code, 0, trig.stderr);
  assert.match(trig.stdout, /queued manual__2018-11-03T00:00:00\+00:00 \(data interval 2018-11-02T00:00:00.000Z .. 2018-11-03T00:00:00.000Z\)/);
  const again = await cli('dags', 'trigger', 'etl', '--logical-date', '2018-11-03T00:00:00Z');
  assert.equal(again.code, 2, 'the logical date given is the problem');
  assert.match(again.stderr.split('\n')[0] ?? '', /^error: SPK_E_CONFIG: DAG etl already has a run at logical date 2018-11-03T00:00:00.000Z/);
  assert.equal((await cli('dags', 'unpause', 'etl')).stdout, 'etl unpaused\n');
  assert.equal((await cli('dags', 'pause', 'nope')).code, 1);
  const runs = JSON.parse((await cli('dags', 'runs', 'etl', '--json')).stdout);
  assert.deepEqual(runs.map((r: { runId: string; state: string; conf: unknown }) => [r.runId, r.state, r.conf]), [['manual__2018-11-03T00:00:00+00:00', 'queued', { region: 'us' }]]);

  const tasks = await cli('tasks', 'list', 'etl');
  assert.equal(tasks.code, 0, tasks.stderr);
  assert.match(tasks.stdout, /\(no rows\)|│ task/, 'a queued run has no task instances until it starts');
  const clear = await cli('tasks', 'clear', 'etl', '--run', 'manual__2018-11-03T00:00:00+00:00', '--task', 'zz');
  assert.equal(clear.code, 1);
  assert.match(clear.stderr, /has no task zz/);

  const dry = await cli('dags', 'backfill', 'etl', '--from-date', '2018-11-01', '--to-date', '2018-11-04', '--dry-run', '--json', '--max-active-runs', '3');
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(JSON.parse(dry.stdout).runs.map((r: { action: string }) => r.action), ['create', 'create', 'keep', 'create']);
  assert.deepEqual([JSON.parse(dry.stdout).backfill.id, JSON.parse(dry.stdout).backfill.maxActiveRuns], [null, 3], 'the backfill it would open');
  const created = await cli('dags', 'backfill', 'etl', '--from-date', '2018-11-01', '--to-date', '2018-11-02', '--no-wait', '--max-active-runs', '2');
  assert.match(created.stdout, /etl: backfill #1, at most 2 runs at once\netl: 2 intervals: 2 to create, 0 to re-run, 0 kept/);
  const resumed = await cli('dags', 'backfill', 'etl', '--start', '2018-11-01', '--end', '2018-11-02', '--dry-run');
  assert.match(resumed.stdout, /etl: backfill #1 \(resumed\), at most 2 runs at once/);
  assert.match((await cli('dags', 'backfill', 'etl', '--from-date', '2018-11-01', '--to-date', '2018-11-02', '--max-active-runs', '0')).stderr, /--max-active-runs must be a whole number >= 1/);
  const bad = await cli('dags', 'backfill', 'etl', '--from-date', '2018-11-01', '--to-date', '2018-11-02', '--reprocess', 'some');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--reprocess must be none, failed or completed/);
  const both = await cli('dags', 'backfill', 'etl', '--from-date', '2018-11-01', '--start', '2018-11-01', '--to-date', '2018-11-02');
  assert.deepEqual([both.code, /give --from-date or --start, not both/.test(both.stderr)], [2, true], both.stderr);
  const missing = await cli('dags', 'backfill', 'etl', '--from-date', '2018-11-01');
  assert.deepEqual([missing.code, /--to-date \(or --end\) is required/.test(missing.stderr)], [2, true], missing.stderr);
  assert.match((await cli('lineage', 'warehouse.songplays')).stdout, /no task recorded writing warehouse\.songplays/);
});
