import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { simulate } from '../../src/simulator/simulate.ts';
import { lakeQuery } from '../pipelines/lake/lake-fixtures.ts';
import * as answer from './wrangling-answers.ts';

const examples = join(import.meta.dirname, '..', '..', 'examples', 'wrangling');
const sql = (name: string) => readFileSync(join(examples, name), 'utf8');

let dir: string;
let events: answer.Event[];
let answers: Record<string, Record<string, unknown>[]>;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sparkify-wrangling-'));
  const input = join(dir, 'sim');
  await simulate({ outDir: input, users: 300, days: 14, songs: 200, seed: 7 });
  events = answer.readEvents(input);
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

test('pages never visited by the visitor with the empty userId', () => {
  const expected = answer.pagesNeverVisited(events);
  assert.ok(expected.rows.length > 0 && expected.visited > 0);
  assert.deepEqual(answers['01-pages-never-visited.sql'], expected.rows);
});

test('distinct female users', () => {
  const expected = answer.distinctUsersOfGender(events);
  assert.ok((expected[0]?.users ?? 0) > 0);
  assert.deepEqual(answers['02-distinct-female-users.sql'], expected);
});

test('the most played artist', () => {
  assert.deepEqual(answers['03-most-played-artist.sql'], answer.mostPlayedArtist(events));
});

test('average songs between two home visits (the window function)', () => {
  const expected = answer.songsBetweenHomeVisits(events);
  const got = answers['04-songs-between-home-visits.sql']?.[0]?.average_songs as number;
  assert.ok(Math.abs(got - expected) < 1e-9, `${got} vs ${expected}`);
});

test('hourly play counts (UTC)', () => {
  const expected = answer.hourlyPlays(events);
  assert.equal(expected.length, 24);
  assert.deepEqual(answers['05-hourly-plays.sql'], expected);
});

test('users who downgraded', () => {
  const expected = answer.usersWhoDowngraded(events);
  assert.ok(expected.length > 0);
  assert.deepEqual(answers['06-users-who-downgraded.sql'], expected);
});
