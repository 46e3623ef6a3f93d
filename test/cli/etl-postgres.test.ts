import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { requireDataset, sample } from '../support/datasets.ts';
import { testDatabase } from '../support/postgres.ts';
import { runCli } from '../support/run-cli.ts';

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('--dry-run prints the plan and touches nothing', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const dataDir = await tempDir(t);
  const result = await runCli(['etl', 'postgres', '--songs', sample.songs, '--logs', sample.logs, '--data-dir', dataDir, '--dry-run']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /-- songs: 71 files under /);
  assert.match(result.stdout, /-- logs: {2}30 files under /);
  assert.match(result.stdout, /CREATE TABLE IF NOT EXISTS songplays/);
  assert.match(result.stdout, /COPY stage_songs \(seq, song_id, .*\) FROM STDIN WITH \(FORMAT csv\)/);
  assert.match(result.stdout, /COPY songplays \(songplay_id, start_time, .*\) FROM STDIN WITH \(FORMAT binary\).*\n-- \(read on this thread, reference path .*\)\n-- \(into stage_songplays instead when songplays holds earlier loads\)/);
  assert.match(result.stdout, /COPY stage_users \(user_id, first_name, .*\) FROM STDIN WITH \(FORMAT csv\)/);
  assert.match(result.stdout, /INSERT INTO songplays/);
  assert.equal(existsSync(join(dataDir, 'pglite')), false, 'a dry run must not create the database');
});

test('loads the sample into the embedded database and reports reconciled counts as JSON', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const dataDir = await tempDir(t);
  const result = await runCli(['etl', 'postgres', '--songs', sample.songs, '--logs', sample.logs, '--data-dir', dataDir, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.deepEqual(report.tables.map((r: { rows: number }) => r.rows), [6820, 96, 71, 69, 6813]);
  assert.ok(report.sources.every((s: { reconciles: boolean }) => s.reconciles));
  assert.equal(report.rejectsFile, null);
  assert.ok(existsSync(join(dataDir, 'pglite')));
});

test('loads the sample into a real Postgres server with --db and prints readable tables', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const db = await testDatabase(t);
  if (!db) return;
  const result = await runCli(['etl', 'postgres', '--songs', sample.songs, '--logs', sample.logs, '--db', db.url, '--no-progress']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /│ songplays │ +6,820 │/);
  assert.match(result.stdout, /│ logs +│ +30 │ +8,056 │ +6,820 │ +0 │ +1,236 │/);
  assert.match(result.stdout, /Setanta matins/);
});

test('bad options and unreadable inputs are clear errors with distinct exit codes', async (t) => {
  const dataDir = await tempDir(t);
  const missing = join(dataDir, 'no-such-dir');
  const result = await runCli(['etl', 'postgres', '--songs', missing, '--logs', missing, '--data-dir', dataDir]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /SPK_E_INPUT_UNREADABLE: cannot read .*no-such-dir/);
  const usage = await runCli(['etl', 'postgres', '--songs', missing]);
  assert.notEqual(usage.code, 0);
  assert.match(usage.stderr, /--logs/);
});

test('bad records are quarantined to the rejects file named in the report', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const dir = await tempDir(t);
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(join(dir, 'logs'));
  const good = (await readFile(join(sample.logs, '2018', '11', '2018-11-01-events.json'), 'utf8')).split('\n');
  await writeFile(join(dir, 'logs', 'day.json'), [good[0], '{"truncated": ', good[2]].join('\n'));
  const rejects = join(dir, 'rejects.ndjson');
  const result = await runCli(['etl', 'postgres', '--songs', sample.songs, '--logs', join(dir, 'logs'), '--data-dir', dir, '--rejects', rejects, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  const logs = report.sources.find((s: { source: string }) => s.source === 'logs');
  assert.deepEqual({ read: logs.read, quarantined: logs.quarantined, reconciles: logs.reconciles }, { read: 3, quarantined: 1, reconciles: true });
  const [record] = (await readFile(rejects, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(record.line, 2);
  assert.equal(record.file, join(dir, 'logs', 'day.json'));
  assert.match(record.reason, /not valid JSON/);
});

test('an event repeated in the input is reported as a duplicate, not as loaded: the counts match the table (text and --json)', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const dir = await tempDir(t);
  const { cp, writeFile } = await import('node:fs/promises');
  await cp(sample.logs, join(dir, 'logs'), { recursive: true });
  const day = (await readFile(join(sample.logs, '2018', '11', '2018-11-05-events.json'), 'utf8')).split('\n');
  await writeFile(join(dir, 'logs', 'again.json'), day.find((l) => l.includes('"page":"NextSong"')) as string);
  const json = await runCli(['etl', 'postgres', '--songs', sample.songs, '--logs', join(dir, 'logs'), '--data-dir', join(dir, 'a'), '--json']);
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  const logs = report.sources.find((s: { source: string }) => s.source === 'logs');
  assert.deepEqual({ read: logs.read, loaded: logs.loaded, filtered: logs.filtered, duplicates: logs.duplicates, reconciles: logs.reconciles },
    { read: 8057, loaded: 6820, filtered: 1236, duplicates: 1, reconciles: true });
  assert.equal(report.tables.find((r: { table: string }) => r.table === 'songplays').rows, 6820);
  const text = await runCli(['etl', 'postgres', '--songs', sample.songs, '--logs', join(dir, 'logs'), '--data-dir', join(dir, 'b'), '--no-progress']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /read = loaded \+ quarantined \+ filtered \+ duplicates/);
  assert.match(text.stdout, /│ logs +│ +31 │ +8,057 │ +6,820 │ +0 │ +1,236 │ +1 │ +0 │ yes +│/);
});
