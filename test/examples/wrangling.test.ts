import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openLakeEngine } from '../../src/engines/open-lake-engine.ts';
import { registerLake } from '../../src/pipelines/lake/register-lake.ts';
import { parseLocation } from '../../src/storage/location.ts';
import { openStore } from '../../src/storage/open-store.ts';
import { simulate } from '../../src/simulator/simulate.ts';
import { lakeQuery } from '../pipelines/lake/lake-fixtures.ts';
import { testSparkRemote } from '../support/spark.ts';
import * as answer from './wrangling-answers.ts';

const examples = join(import.meta.dirname, '..', '..', 'examples', 'wrangling');
const sql = (name: string) => readFileSync(join(examples, name), 'utf8');

const names = ['01-pages-never-visited.sql', '02-distinct-female-users.sql', '03-most-played-artist.sql', '04-songs-between-home-visits.sql',
  '05-hourly-plays.sql', '06-users-who-downgraded.sql'];

let dir: string;
let events: answer.Event[];
let answers: Record<string, Record<string, unknown>[]>;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sparkify-wrangling-'));
  const input = join(dir, 'sim');
  await simulate({ outDir: input, users: 300, days: 14, songs: 200, seed: 7 });
  events = answer.readEvents(input);
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

test('the same SQL files on Spark (lake query --engine spark) give the same answers', async (t) => {
  const remote = testSparkRemote(t);
  if (!remote) return;
  const engine = await openLakeEngine('spark', { sparkRemote: remote });
  const logs = parseLocation(join(dir, 'sim', 'log_data'));
  const store = await openStore(logs, { region: 'us-east-1' });
  try {
    await registerLake(engine, { logs: [store, logs] }, join(dir, 'spool'));
    for (const name of names) {
      const got = await engine.query(sql(name));
      const expected = answers[name] ?? [];
      if (name.startsWith('04-')) {
        const [g, e] = [got[0]?.average_songs as number, expected[0]?.average_songs as number];
        assert.ok(Math.abs(g - e) < 1e-9, `${name}: ${g} vs ${e}`);
      } else {
        assert.deepEqual(got, expected, name);
      }
    }
  } finally {
    await store.close();
    await engine.close();
  }
});
