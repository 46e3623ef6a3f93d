import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureDir, event, hostileTitle, writeEventCsv } from '../pipelines/cassandra-model/event-fixtures.ts';
import { testKeyspace, type TestKeyspace } from '../support/cassandra.ts';
import { requireDataset, sample } from '../support/datasets.ts';
import { runCli } from '../support/run-cli.ts';

const to = (ks: TestKeyspace) => ['--contact-points', ks.contactPoint, '--local-dc', ks.localDataCenter, '--keyspace', ks.keyspace];

test('cassandra consolidate writes event_datafile_new.csv and reports reconciled counts', async (t) => {
  if (!requireDataset(t, sample.events)) return;
  const dir = await fixtureDir(t);
  const out = join(dir, 'event_datafile_new.csv');
  const result = await runCli(['cassandra', 'consolidate', '--events', sample.events, '--out', out, '--data-dir', dir, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.deepEqual([report.rows, report.source.read, report.source.loaded, report.source.filtered, report.source.reconciles, report.rejectsFile],
    [6820, 8056, 6820, 1236, true, null]);
  assert.equal((await readFile(out, 'utf8')).trimEnd().split('\r\n').length, 6821);
});

test('cassandra load --dry-run prints the DDL and the plan without reaching any cluster', async (t) => {
  if (!requireDataset(t, sample.logs)) return;
  const dir = await fixtureDir(t);
  // Nothing listens on port 1: a dry run that tried to connect would fail.
  const result = await runCli(['cassandra', 'load', '--logs', sample.logs, '--contact-points', '127.0.0.1:1', '--keyspace', 'app',
    '--replication', 'NetworkTopologyStrategy:datacenter1=3', '--data-dir', dir, '--dry-run']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /-- input: 30 JSON log files under /);
  assert.match(result.stdout, /CREATE KEYSPACE IF NOT EXISTS app WITH replication = \{'class': 'NetworkTopologyStrategy', 'datacenter1': 3\};/);
  assert.match(result.stdout, /PRIMARY KEY \(\(session_id, item_in_session\), user_id\)/);
  assert.match(result.stdout, /INSERT INTO song_listeners \(song, user_id, first_name, last_name\) VALUES \(\?, \?, \?, \?\);/);
  const query = await runCli(['cassandra', 'query', 'song-listeners', '--song', hostileTitle, '--contact-points', '127.0.0.1:1', '--dry-run', '--json']);
  assert.equal(query.code, 0, query.stderr);
  assert.deepEqual(JSON.parse(query.stdout).params, [hostileTitle]);
});

test('cassandra load, then the five queries: readable tables by default, --json for machines', async (t) => {
  if (!requireDataset(t, sample.logs)) return;
  const ks = await testKeyspace(t, { create: false });
  if (!ks) return;
  const dir = await fixtureDir(t);
  const load = await runCli(['cassandra', 'load', '--logs', sample.logs, ...to(ks), '--data-dir', dir, '--no-progress']);
  assert.equal(load.code, 0, load.stderr);
  assert.match(load.stdout, /│ user_session_songs │ +6,820 │/);
  assert.match(load.stdout, /│ logs +│ +30 │ +8,056 │ +6,820 │ +0 │ +1,236 │ +0 │ yes +│/);

  const q1 = await runCli(['cassandra', 'query', 'session-songs', '--session', '338', '--item', '4', ...to(ks)]);
  assert.equal(q1.code, 0, q1.stderr);
  assert.match(q1.stdout, /│ Faithless │ Music Matters \(Mark Knight Dub\) │ +495\.31 │/);
  const q2 = await runCli(['cassandra', 'query', 'user-session', '--user', '10', '--session', '182', ...to(ks), '--json']);
  assert.equal(q2.code, 0, q2.stderr);
  assert.deepEqual(JSON.parse(q2.stdout).rows.map((r: { song: string }) => r.song),
    ["Keep On Keepin' On", 'Greece 2000', 'Kilometer', 'Catch You Baby (Steve Pitron & Max Sanna Radio Edit)']);
  const q3 = await runCli(['cassandra', 'query', 'song-listeners', '--song', 'All Hands Against His Own', ...to(ks)]);
  assert.equal(q3.code, 0, q3.stderr);
  for (const name of ['Jacqueline +│ Lynch', 'Tegan +│ Levine', 'Sara +│ Johnson']) assert.match(q3.stdout, new RegExp(name));
  const q4 = await runCli(['cassandra', 'query', 'user-sessions', '--user', '10', ...to(ks), '--json']);
  assert.equal(q4.code, 0, q4.stderr);
  assert.ok(JSON.parse(q4.stdout).rows.some((r: { session_id: number; songs: number }) => r.session_id === 182 && r.songs === 4));
  const q5 = await runCli(['cassandra', 'query', 'artist-listeners', '--artist', 'Faithless', ...to(ks)]);
  assert.equal(q5.code, 0, q5.stderr);
  assert.match(q5.stdout, /│ user_id │ first_name │ last_name │ level │ plays │/);
  const none = await runCli(['cassandra', 'query', 'song-listeners', '--song', 'No Such Song', ...to(ks)]);
  assert.equal(none.code, 0);
  assert.match(none.stdout, /\(no rows\)/);
});

test('bad rows go to the rejects file named in the report; the good ones load', async (t) => {
  const ks = await testKeyspace(t, { create: false });
  if (!ks) return;
  const dir = await fixtureDir(t);
  await writeEventCsv(dir, 'day.csv', [event(), event({ userId: '', itemInSession: 2 }), 'broken,"row']);
  const rejects = join(dir, 'rejects.ndjson');
  const result = await runCli(['cassandra', 'load', '--events', join(dir, 'event_data'), ...to(ks), '--rejects', rejects, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.deepEqual([report.source.read, report.source.loaded, report.source.quarantined, report.source.reconciles, report.rejectsFile],
    [3, 1, 2, true, rejects]);
  const lines = (await readFile(rejects, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((r) => [r.line, r.field, r.reason]).sort(), [
    [3, 'userId', 'NextSong event without a user'],
    [4, '', 'unterminated quoted field at end of file'],
  ]);
});

test('bad options exit 2 naming the flag; a missing keyspace exits 1 saying what to do', async (t) => {
  const replication = await runCli(['cassandra', 'load', '--logs', '.', '--replication', 'Simple', '--dry-run']);
  assert.equal(replication.code, 2);
  assert.match(replication.stderr, /SPK_E_CONFIG: --replication: must be SimpleStrategy:<factor> or NetworkTopologyStrategy/);
  const both = await runCli(['cassandra', 'consolidate', '--events', '.', '--logs', '.', '--out', 'x.csv']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--events and --logs: give one input, not both/);
  const session = await runCli(['cassandra', 'query', 'session-songs', '--session', 'abc', '--item', '4', '--dry-run']);
  assert.equal(session.code, 2);
  assert.match(session.stderr, /--session: must be a session id/);
  const ks = await testKeyspace(t, { create: false });
  if (!ks) return;
  const missing = await runCli(['cassandra', 'query', 'user-sessions', '--user', '10', ...to(ks)]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, new RegExp(`keyspace ${ks.keyspace} does not exist .*sparkify cassandra load`));
});
