import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timestampFormatter } from '../../../src/pipelines/star-load/staging-rules.ts';
import { SongCatalog } from '../../../src/pipelines/star-load/song-catalog.ts';

test('the timestamp formatter writes what toISOString does, minus the Z, in and out of order', () => {
  const format = timestampFormatter();
  const edges = [0, 1, 999, 59_999, 60_000, -1, -60_001, 1541106106796, 1541106106796 + 59_999, 951_782_400_000 + 86_399_999,
    -62_135_596_800_000, 253_402_300_799_999];
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const values = [...edges, ...Array.from({ length: 20_000 }, () => Math.floor((random() * 2 - 0.5) * 1e13))];
  // Sorted runs (the cached day reused) and a shuffled order (the cache replaced each time).
  for (const ts of [...values.toSorted((a, b) => a - b), ...values]) assert.equal(format(ts), new Date(ts).toISOString().slice(0, 23), String(ts));
});

test('the catalog matches on title, artist and duration exactly, -0 as 0, and never without a length', () => {
  const catalog = new SongCatalog([
    { title: 'Uprising', artist_name: 'Muse', duration: 304.97914, song_id: 'SO1', artist_id: 'AR1' },
    { title: 'Uprising', artist_name: 'Muse ', duration: 304.97914, song_id: 'SO2', artist_id: 'AR2' },
    { title: 'Silence', artist_name: 'Nobody', duration: 0, song_id: 'SO3', artist_id: 'AR3' },
  ]);
  assert.deepEqual(catalog.match('Uprising', 'Muse', 304.97914), ['SO1', 'AR1']);
  assert.deepEqual(catalog.match('Uprising', 'Muse ', 304.97914), ['SO2', 'AR2']);
  assert.equal(catalog.match('Uprising', 'Muse', 304.9791), undefined);
  assert.equal(catalog.match('uprising', 'Muse', 304.97914), undefined);
  assert.equal(catalog.match('Uprising', 'Muse', null), undefined);
  assert.deepEqual(catalog.match('Silence', 'Nobody', -0), ['SO3', 'AR3']);
});
