import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Catalog } from '../../src/simulator/catalog.ts';
import { formatSongFile, songFilePath } from '../../src/simulator/song-file.ts';
import type { Song } from '../../src/simulator/song.ts';
import { requireDataset, sample } from '../support/datasets.ts';
import { SONG_FIELDS, referenceSongFile } from './reference-format.ts';
import { listFiles, simulateToTemp } from './simulated-dataset.ts';

test('renders every song file of the course sample byte for byte', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  const files = (await listFiles(sample.songs)).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 71);
  for (const file of files) {
    const text = await readFile(join(sample.songs, file), 'utf8');
    const o = JSON.parse(text);
    const song = {
      trackId: file.slice(-23, -5), songId: o.song_id, title: o.title, duration: o.duration, year: o.year, artistId: o.artist_id,
      artistName: o.artist_name, artistLatitude: o.artist_latitude, artistLongitude: o.artist_longitude, artistLocation: o.artist_location,
    } as Song;
    assert.equal(formatSongFile(song), text, file);
    assert.equal(songFilePath(song.trackId), `song_data/${file}`);
  }
});

test('song files: json.dumps layout, MSD ids, and the variety of the real catalog', async () => {
  const run = await simulateToTemp({ users: 1, days: 1, songs: 2000, seed: 5 });
  try {
    const files = (await listFiles(run.dir)).filter((f) => f.startsWith('song_data/'));
    assert.equal(files.length, 2000);
    const songsPerArtist = new Map<string, number>();
    const songIds = new Set<string>();
    let noCoordinates = 0;
    let noLocation = 0;
    let noYear = 0;
    let escaped = 0;
    for (const file of files) {
      const text = await readFile(join(run.dir, file), 'utf8');
      const o = JSON.parse(text);
      assert.deepEqual(Object.keys(o), SONG_FIELDS);
      assert.equal(referenceSongFile(o), text);
      assert.equal(o.num_songs, 1);
      assert.match(o.song_id, /^SO[A-Z]{5}[0-9A-F]{11}$/);
      assert.match(o.artist_id, /^AR[A-Z0-9]{5}[0-9A-F]{11}$/);
      assert.ok(typeof o.duration === 'number' && o.duration > 0 && !Number.isInteger(o.duration));
      assert.ok(o.year === 0 || (o.year >= 1950 && o.year <= 2010));
      assert.equal(o.artist_latitude === null, o.artist_longitude === null);
      if (o.artist_latitude === null) noCoordinates++;
      else assert.notEqual(o.artist_location, '', 'located artists have a location text');
      if (o.artist_location === '') noLocation++;
      if (o.year === 0) noYear++;
      if (text.includes('\\u')) escaped++;
      songIds.add(o.song_id);
      songsPerArtist.set(o.artist_id, (songsPerArtist.get(o.artist_id) ?? 0) + 1);
    }
    assert.equal(songIds.size, 2000, 'song ids are unique');
    const share = (n: number) => n / 2000;
    // Course song sets: 56-65% without coordinates, 39-45% without location, 30-60% without year.
    assert.ok(share(noCoordinates) > 0.5 && share(noCoordinates) < 0.72, `no coordinates: ${share(noCoordinates)}`);
    assert.ok(share(noLocation) > 0.3 && share(noLocation) < 0.55, `no location: ${share(noLocation)}`);
    assert.ok(share(noYear) > 0.35 && share(noYear) < 0.55, `no year: ${share(noYear)}`);
    assert.ok(escaped > 0, 'some titles or names need \\u escapes');
    const multi = [...songsPerArtist.values()].filter((n) => n > 1).length / songsPerArtist.size;
    assert.ok(multi > 0.03 && multi < 0.15, `artists with several songs: ${multi}`);
  } finally {
    await run.remove();
  }
});

test('the catalog is a pure function of seed and index: regenerated songs are identical', () => {
  const a = new Catalog(9, 100_000, 0.2);
  const b = new Catalog(9, 100_000, 0.2);
  for (const i of [0, 1, 99_999, 65_536, 65_537, 123_456]) assert.deepEqual(b.song(i), a.song(i));
  // Index 65,536 evicts index 0 from its cache slot; asking again regenerates it.
  assert.deepEqual(a.song(0), b.song(0));
});
