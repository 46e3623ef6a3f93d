import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { autoExtractor, jsonPathsExtractor, parseJsonPath } from '../../../src/pipelines/warehouse/copy/json-format.ts';
import { stagingEvents, stagingSongs } from '../../../src/pipelines/warehouse/staging-tables.ts';
import { requireDataset, sample } from '../../support/datasets.ts';

const event = {
  artist: 'Elena', auth: 'Logged In', firstName: 'Lily', gender: 'F', itemInSession: 5, lastName: 'Koch', length: 269.58322,
  level: 'paid', location: 'Chicago', method: 'PUT', page: 'NextSong', registration: 1541048010796.0, sessionId: 818,
  song: 'Setanta matins', status: 200, ts: 1542837407796, userAgent: 'Mozilla', userId: '15',
};

test("the course's jsonpaths file maps the 18 log fields to staging_events' columns in order", (t) => {
  if (!requireDataset(t, sample.jsonPaths)) return;
  const extract = jsonPathsExtractor(readFileSync(sample.jsonPaths, 'utf8'), stagingEvents.columns, sample.jsonPaths);
  assert.deepEqual(extract(event), Object.values(event));
  // Missing fields are NULL, not an error (as in Redshift).
  assert.equal(extract({ ...event, userAgent: undefined })[16], undefined);
});

test("JSON 'auto' matches keys to column names exactly; 'auto ignorecase' folds case", () => {
  const song = { num_songs: 1, artist_id: 'AR1', artist_latitude: null, artist_longitude: null, artist_location: '', artist_name: 'X', song_id: 'S1', title: 'T', duration: 1.5, year: 0, extra: 'ignored' };
  assert.deepEqual(autoExtractor(stagingSongs.columns, false)(song), [1, 'AR1', null, null, '', 'X', 'S1', 'T', 1.5, 0]);
  const strict = autoExtractor(stagingEvents.columns, false)(event);
  assert.equal(strict[2], undefined, "firstName does not match the column firstname under 'auto'");
  assert.deepEqual(autoExtractor(stagingEvents.columns, true)(event), Object.values(event));
});

test('jsonpaths syntax, and the errors for bad documents', () => {
  assert.deepEqual(parseJsonPath("$['a']", 'f'), ['a']);
  assert.deepEqual(parseJsonPath('$["a b"].c[2]', 'f'), ['a b', 'c', 2]);
  assert.deepEqual(parseJsonPath("$.a['it\\'s']", 'f'), ['a', "it's"]);
  assert.throws(() => parseJsonPath('a.b', 'f'), /SPK_E_CONFIG: jsonpaths file f: cannot parse path "a.b"/);
  assert.throws(() => parseJsonPath('$', 'f'), /cannot parse/);
  assert.throws(() => jsonPathsExtractor('{"jsonpaths": ["$.a"]}', stagingSongs.columns, 'p.json'), /has 1 paths but the table has 10 columns/);
  assert.throws(() => jsonPathsExtractor('{"paths": []}', stagingSongs.columns, 'p.json'), /must be \{"jsonpaths"/);
  assert.throws(() => jsonPathsExtractor('{', stagingSongs.columns, 'p.json'), /not valid JSON/);
  const nested = jsonPathsExtractor(JSON.stringify({ jsonpaths: stagingSongs.columns.map((_, i) => `$.a[${i}]`) }), stagingSongs.columns, 'p');
  assert.deepEqual(nested({ a: [1, 2] }).slice(0, 3), [1, 2, undefined]);
});
