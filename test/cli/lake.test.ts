import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { requireDataset, sample } from '../support/datasets.ts';
import { runCli } from '../support/run-cli.ts';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-cli-lake-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('lake build --dry-run prints the plan; build, then query the tables and the raw logs', async (t) => {
  if (!requireDataset(t, sample.root)) return;
  const dir = await tempDir(t);
  const out = join(dir, 'lake');
  const dry = await runCli(['lake', 'build', '--in', sample.root, '--out', out, '--since', '2018-11-03', '--until', '2018-11-05', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /whole months: 2018-11\b/);
  assert.match(dry.stdout, /songplays: partitioned by year, month; replaces partitions year=2018\/month=11/);
  assert.doesNotMatch(dry.stdout, /-- songs:/);

  const built = await runCli(['lake', 'build', '--in', sample.root, '--out', out, '--data-dir', dir, '--json']);
  assert.equal(built.code, 0, built.stderr);
  const report = JSON.parse(built.stdout);
  assert.deepEqual(report.tables.map((r: { table: string; rows: number }) => [r.table, r.rows]),
    [['songs', 71], ['artists', 69], ['users', 96], ['time', 6813], ['songplays', 6820]]);
  assert.ok(report.sources.every((s: { reconciles: boolean }) => s.reconciles));

  const query = await runCli(['lake', 'query', 'SELECT s.level, count(*) AS plays FROM songplays s JOIN users u USING (user_id) GROUP BY s.level ORDER BY s.level',
    '--out', out, '--json']);
  assert.equal(query.code, 0, query.stderr);
  assert.deepEqual(JSON.parse(query.stdout), [{ level: 'free', plays: 1229 }, { level: 'paid', plays: 5591 }]);
  const raw = await runCli(['lake', 'query', "SELECT count(*) AS n FROM log_data WHERE page = 'NextSong'", '--in', sample.root]);
  assert.equal(raw.code, 0, raw.stderr);
  assert.match(raw.stdout, /6,820/);
  assert.match(raw.stdout, /\(1 row\)/);
  // A file may start with a -- comment, which the command line would take for an option.
  const file = await runCli(['lake', 'query', '--file', join(import.meta.dirname, '..', '..', 'examples', 'wrangling', '06-users-who-downgraded.sql'), '--in', sample.root, '--json']);
  assert.equal(file.code, 0, file.stderr);
  assert.deepEqual(JSON.parse(file.stdout), [{ userId: '15' }]);
});

test('lake: the one wrong thing, in one line, with exit 2 (or 1 for a bad query)', async (t) => {
  const dir = await tempDir(t);
  const spark = await runCli(['lake', 'build', '--in', dir, '--out', join(dir, 'lake'), '--engine', 'spark'], { SPARKIFY_SPARK_REMOTE: '' });
  assert.equal(spark.code, 2, spark.stderr);
  assert.match(spark.stderr, /needs a Spark Connect server: give --spark-remote/);
  const badRemote = await runCli(['lake', 'build', '--in', dir, '--out', join(dir, 'lake'), '--engine', 'spark', '--spark-remote', 'http://127.0.0.1:15002']);
  assert.equal(badRemote.code, 2, badRemote.stderr);
  assert.match(badRemote.stderr, /bad Spark Connect address "http:\/\/127\.0\.0\.1:15002": expected sc:\/\//);
  const half = await runCli(['lake', 'build', '--in', dir, '--out', join(dir, 'lake'), '--since', '2018-11-01', '--dry-run']);
  assert.equal(half.code, 2);
  assert.match(half.stderr, /both --since and --until/);
  const both = await runCli(['lake', 'query', 'SELECT 1', '--file', 'x.sql', '--in', dir]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /the SQL or --file, not both/);
  const none = await runCli(['lake', 'query', 'SELECT 1', '--out', join(dir, 'nothing')]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /SPK_E_INPUT_UNREADABLE: no lake at .*lake build first/);
});
