import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { simulate } from '../../src/simulator/simulate.ts';
import { filesUnder, lakeQuery } from '../pipelines/lake/lake-fixtures.ts';

const examples = join(import.meta.dirname, '..', '..', 'examples', 'wrangling');
const sql = (name: string) => readFileSync(join(examples, name), 'utf8');

interface Event { userId: string; page: string; gender: string | null; artist: string | null; ts: number }

let dir: string;
let events: Event[];
let answers: Record<string, Record<string, unknown>[]>;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sparkify-wrangling-'));
  const input = join(dir, 'sim');
  await simulate({ outDir: input, users: 300, days: 14, songs: 200, seed: 7 });
  events = filesUnder(join(input, 'log_data'), '.json')
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Event));
  const names = ['01-pages-never-visited.sql', '02-distinct-female-users.sql', '03-most-played-artist.sql', '04-songs-between-home-visits.sql',
    '05-hourly-plays.sql', '06-users-who-downgraded.sql'];
  answers = (await lakeQuery(undefined, async (query) => {
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const name of names) out[name] = await query(sql(name));
    return out;
  }, undefined, input)).value;
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const count = <K>(keys: K[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<K, number>());

test('pages never visited by the visitor with the empty userId', () => {
  const visited = new Set(events.filter((e) => e.userId === '').map((e) => e.page));
  const expected = [...new Set(events.map((e) => e.page))].filter((p) => !visited.has(p)).sort();
  assert.ok(expected.length > 0 && visited.size > 0);
  assert.deepEqual(answers['01-pages-never-visited.sql']?.map((r) => r.page), expected);
});

test('distinct female users', () => {
  const expected = new Set(events.filter((e) => e.gender === 'F').map((e) => e.userId)).size;
  assert.ok(expected > 0);
  assert.deepEqual(answers['02-distinct-female-users.sql'], [{ users: expected }]);
});

test('the most played artist', () => {
  const plays = [...count(events.filter((e) => e.page === 'NextSong').map((e) => e.artist as string))]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(answers['03-most-played-artist.sql'], [{ artist: plays[0]?.[0], plays: plays[0]?.[1] }]);
});

test('average songs between two home visits (the window function)', () => {
  // Per user: a NextSong's period is the number of Home visits at or after its time (newest first, ties together).
  const groups = new Map<string, number>();
  const byUser = Map.groupBy(events.filter((e) => e.page === 'NextSong' || e.page === 'Home'), (e) => e.userId);
  for (const [user, list] of byUser) {
    const homes = list.filter((e) => e.page === 'Home').map((e) => e.ts);
    for (const e of list) {
      if (e.page !== 'NextSong') continue;
      const period = homes.filter((ts) => ts >= e.ts).length;
      const key = `${user}\u0000${period}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
  }
  const expected = [...groups.values()].reduce((a, b) => a + b, 0) / groups.size;
  const got = answers['04-songs-between-home-visits.sql']?.[0]?.average_songs as number;
  assert.ok(Math.abs(got - expected) < 1e-9, `${got} vs ${expected}`);
});

test('hourly play counts (UTC)', () => {
  const expected = [...count(events.filter((e) => e.page === 'NextSong').map((e) => new Date(e.ts).getUTCHours()))]
    .sort(([a], [b]) => a - b).map(([hour, plays]) => ({ hour, plays }));
  assert.equal(expected.length, 24);
  assert.deepEqual(answers['05-hourly-plays.sql'], expected);
});

test('users who downgraded', () => {
  const expected = [...new Set(events.filter((e) => e.page === 'Submit Downgrade').map((e) => e.userId))].sort();
  assert.ok(expected.length > 0);
  assert.deepEqual(answers['06-users-who-downgraded.sql']?.map((r) => r.userId), expected);
});
