import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { planWarehouseLoad } from '../../../src/pipelines/warehouse/warehouse-plan.ts';
import { tempDir } from '../../datasets/corpus.ts';
import { freshWarehouse, loadWarehouse, warehouseTargets } from '../../support/warehouse.ts';

// 80-catalog.sql: a play matches a song when its title, artist name and duration equal that song's own record in
// staging_songs (the course's staging_events-to-staging_songs join), whichever spelling `artists` kept for the id.

const song = (id: string, title: string, artist: string, duration: number, location = '') => JSON.stringify({
  num_songs: 1, artist_id: 'ARBAND', artist_latitude: null, artist_longitude: null, artist_location: location,
  artist_name: artist, song_id: `SO${id}`, title, duration, year: 1970,
});

const play = (item: number, song: string, artist: string, length: number) => JSON.stringify({
  artist, auth: 'Logged In', firstName: 'Ann', gender: 'F', itemInSession: item, lastName: 'Lee', length, level: 'free',
  location: 'Here', method: 'PUT', page: 'NextSong', registration: 1540919166796, sessionId: 7, song, status: 200,
  ts: 1541106106796 + item, userAgent: 'UA', userId: '5',
});

// One artist id spelled three ways, each song in a file of its own; 'The Band' is kept (the record with a location).
const songs = [
  song('1', 'The Weight', 'The Band', 275.5, 'Woodstock, NY'),
  song('2', 'Stage Fright', 'Band, The', 220.25),
  song('3', 'Ophelia', 'Band The', 200.5),
  // Two songs with the same title, spelling and duration: the smallest song_id.
  song('6', 'Twice', 'Band, The', 100.5),
  song('5', 'Twice', 'Band, The', 100.5),
  // One song_id in two records that differ only in the artist's spelling: the first name in order ('Band, The').
  song('4', 'Acadian Driftwood', 'The Band', 401.5),
  song('4', 'Acadian Driftwood', 'Band, The', 401.5),
];

const plays = [
  play(0, 'The Weight', 'The Band', 275.5),
  play(1, 'Stage Fright', 'Band, The', 220.25),
  play(2, 'Ophelia', 'Band The', 200.5),
  // The kept spelling, for a song whose own record spells the artist otherwise: no match.
  play(3, 'Stage Fright', 'The Band', 220.25),
  play(4, 'Twice', 'Band, The', 100.5),
  play(5, 'Acadian Driftwood', 'Band, The', 401.5),
  play(6, 'Acadian Driftwood', 'The Band', 401.5),
];

const expected = [
  { songplay_id: '7:0:5', song_id: 'SO1', artist_id: 'ARBAND' },
  { songplay_id: '7:1:5', song_id: 'SO2', artist_id: 'ARBAND' },
  { songplay_id: '7:2:5', song_id: 'SO3', artist_id: 'ARBAND' },
  { songplay_id: '7:3:5', song_id: null, artist_id: null },
  { songplay_id: '7:4:5', song_id: 'SO5', artist_id: 'ARBAND' },
  { songplay_id: '7:5:5', song_id: 'SO4', artist_id: 'ARBAND' },
  { songplay_id: '7:6:5', song_id: null, artist_id: null },
];

async function sources(t: TestContext): Promise<{ songs: string; events: string; eventsFormat: string }> {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'songs'));
  await mkdir(join(dir, 'events'));
  for (const [i, s] of songs.entries()) await writeFile(join(dir, 'songs', `TR${i}.json`), `${s}\n`);
  await writeFile(join(dir, 'events', '2018-11-01-events.json'), `${plays.join('\n')}\n`);
  return { songs: join(dir, 'songs'), events: join(dir, 'events'), eventsFormat: 'auto ignorecase' };
}

for (const target of warehouseTargets) {
  describe(`song catalog on ${target}`, () => {
    test('a play matches the song its own record describes, whichever spelling artists kept', async (t) => {
      const engine = await freshWarehouse(t, target);
      if (!engine) return;
      await loadWarehouse(engine, target, await sources(t));
      assert.deepEqual(await engine.query("SELECT name FROM artists WHERE artist_id = 'ARBAND'"), [{ name: 'The Band' }]);
      assert.deepEqual(await engine.query('SELECT songplay_id, song_id, artist_id FROM songplays ORDER BY songplay_id'), expected);
    });
  });
}

test('Redshift runs the catalog and the match the tested targets run', () => {
  const request = { songs: 's3://udacity-dend/song_data', events: 's3://udacity-dend/log_data', eventsFormat: 'auto', maxErrors: 0, iamRole: 'arn:aws:iam::123456789012:role/r' };
  const steps = (target: 'redshift' | 'duckdb' | 'postgres', name: string) =>
    planWarehouseLoad({ ...request, target }).commit.find((s) => s.name === name)?.sql;
  assert.equal(steps('redshift', '80-catalog'), steps('duckdb', '80-catalog'));
  assert.equal(steps('redshift', '80-catalog'), steps('postgres', '80-catalog'));
  assert.equal(steps('redshift', '90-songplays'), steps('duckdb', '90-songplays'));
  assert.match(steps('redshift', '80-catalog') ?? '', /FROM staging_catalog_songs/);
});
