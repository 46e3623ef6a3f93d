import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import { emptyCounts, reconciles } from '../../../src/datasets/source-counts.ts';
import type { Play } from '../../../src/pipelines/cassandra-model/play.ts';
import { readPlays } from '../../../src/pipelines/cassandra-model/read-plays.ts';
import { event, fixtureDir, writeEventCsv, writeLogJson } from './event-fixtures.ts';

async function drain(kind: 'events' | 'logs', files: string[]) {
  const quarantine = new MemoryQuarantine();
  const counts = emptyCounts(kind);
  const plays: { play: Play; line: number }[] = [];
  for await (const p of readPlays({ kind, root: '', files }, quarantine, counts)) plays.push({ play: p.record, line: p.line });
    // Sorted: the readers quarantine a chunk's bad lines before the rules see the chunk's good ones.
  const rejects = quarantine.records.map((r) => ({ line: r.line, field: r.field, reason: r.reason })).sort((a, b) => a.line - b.line);
  return { plays, rejects, counts, quarantine };
}

// The same records in both formats; lines count from 1, and the CSV's header is line 1.
const rows = [
  event(),
  event({ page: 'Home', artist: null, song: null, length: null, itemInSession: 0 }),
  event({ artist: null, itemInSession: 2 }),
  event({ userId: '', itemInSession: 3 }),
  event({ song: null, itemInSession: 4 }),
  event({ length: null, itemInSession: 5 }),
  event({ userId: 'x17', itemInSession: 6 }),
  event({ itemInSession: 7, song: 'Flat 55', artist: 'Mr Oizo', length: 144.03873 }),
];
const expectedRejects = (offset: number) => [
  { line: 3 + offset, field: 'artist', reason: 'NextSong event without an artist' },
  { line: 4 + offset, field: 'userId', reason: 'NextSong event without a user' },
  { line: 5 + offset, field: 'song', reason: 'NextSong event without a song' },
  { line: 6 + offset, field: 'length', reason: 'NextSong event without a length' },
  { line: 7 + offset, field: 'userId', reason: 'userId "x17" is not a positive integer' },
];

test('plays from JSON logs: other pages are filtered, NextSong events that cannot make a play are quarantined with file:line', async (t) => {
  const dir = await fixtureDir(t);
  const file = await writeLogJson(dir, '2018-11-01-events.json', [...rows, '{"artist": "cut off', event({ sessionId: 'x' as never })]);
  const { plays, rejects, counts, quarantine } = await drain('logs', [file]);
  assert.deepEqual(plays.map((p) => [p.line, p.play.itemInSession, p.play.song]), [[1, 1, 'You Gotta Be'], [8, 7, 'Flat 55']]);
  assert.deepEqual(rejects.slice(0, 5), expectedRejects(0));
  assert.deepEqual(rejects.slice(5).map((r) => [r.line, r.field]), [[9, ''], [10, 'sessionId']]);
  assert.ok(quarantine.records.every((r) => r.file === file && r.source === 'logs' && r.raw.length > 0));
  assert.deepEqual({ read: counts.read, loaded: counts.loaded, quarantined: counts.quarantined, filtered: counts.filtered },
    { read: 10, loaded: 2, quarantined: 7, filtered: 1 });
  assert.ok(reconciles(counts));
  assert.deepEqual(plays[0]?.play, { artist: "Des'ree", firstName: 'Kaylee', gender: 'F', itemInSession: 1, lastName: 'Summers',
    length: 246.30812, level: 'free', location: 'Phoenix-Mesa-Scottsdale, AZ', sessionId: 139, song: 'You Gotta Be', userId: 8 });
});

test('plays from the event CSV: the same rules, the same plays, lines counted after the header', async (t) => {
  const dir = await fixtureDir(t);
  const file = await writeEventCsv(dir, '2018-11-01-events.csv', [...rows, 'Muse,Logged In,only,four']);
  const { plays, rejects, counts } = await drain('events', [file]);
  const json = await drain('logs', [await writeLogJson(dir, 'same.json', rows)]);
  assert.deepEqual(plays.map((p) => p.play), json.plays.map((p) => p.play));
  assert.deepEqual(rejects, [...expectedRejects(1), { line: 10, field: '', reason: 'expected 17 columns, got 4' }]);
  assert.deepEqual({ read: counts.read, loaded: counts.loaded, quarantined: counts.quarantined, filtered: counts.filtered },
    { read: 9, loaded: 2, quarantined: 6, filtered: 1 });
});

test('an artist or title too long for a partition key is quarantined instead of failing the load', async (t) => {
  const dir = await fixtureDir(t);
  const file = await writeLogJson(dir, 'long.json', [event({ song: 'x'.repeat(70_000) }), event({ itemInSession: 2 })]);
  const { plays, rejects } = await drain('logs', [file]);
  assert.equal(plays.length, 1);
  assert.deepEqual(rejects, [{ line: 1, field: 'song', reason: '70000 bytes: too long for a Cassandra partition key (at most 65535)' }]);
});
