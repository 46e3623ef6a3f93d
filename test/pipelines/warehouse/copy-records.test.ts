import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { copyBatches } from '../../../src/pipelines/warehouse/copy/copy-records.ts';
import { autoExtractor } from '../../../src/pipelines/warehouse/copy/json-format.ts';
import { stagingSongs } from '../../../src/pipelines/warehouse/staging-tables.ts';
import { collect } from '../../support/collect.ts';

const extract = autoExtractor(stagingSongs.columns, false);
/** Every row and every reject of an object, in order. */
async function copyAll(chunks: AsyncIterable<Uint8Array>, file: string) {
  const batches = await collect(copyBatches(chunks, file, stagingSongs, extract));
  return { rows: batches.flatMap((b) => b.rows), errors: batches.flatMap((b) => b.errors), repaired: batches.reduce((n, b) => n + b.repaired, 0) };
}
const bytes = (...chunks: (string | Uint8Array)[]) => (async function* () {
  for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c;
})();
const song = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ num_songs: 1, artist_id: 'AR', artist_latitude: null, artist_longitude: null, artist_location: '', artist_name: 'N', song_id: id, title: 'T', duration: 2.5, year: 2001, ...extra });

test('one object per line, several on a line, or pretty-printed across lines: each a record at its first line', async () => {
  const text = `${song('S1')}\n${song('S2')}${song('S3')}\n${JSON.stringify(JSON.parse(song('S4')), null, 2)}\n`;
  const out = await copyAll(bytes(text), 'f.json');
  assert.deepEqual(out.errors, []);
  assert.deepEqual(out.rows.map((r) => r[6]), ['S1', 'S2', 'S3', 'S4']);
  assert.deepEqual(out.rows[0], [1, 'AR', null, null, '', 'N', 'S1', 'T', 2.5, 2001]);
});

test('rejects name the file, line, first failing column and reason, with the raw text', async () => {
  const text = [song('S1'), song('S2', { year: 'MCMXC' }), '{"broken": "cut', song('S3', { duration: 'long' })].join('\n');
  const { rows, errors } = await copyAll(bytes(text), 's3://b/song_data/x.json');
  assert.equal(rows.length, 1);
  assert.deepEqual(errors.map((e) => [e.table, e.file, e.line, e.column]), [
    ['staging_songs', 's3://b/song_data/x.json', 2, 'year'],
    ['staging_songs', 's3://b/song_data/x.json', 3, ''],
    ['staging_songs', 's3://b/song_data/x.json', 4, 'duration'],
  ]);
  assert.match(errors[0]?.reason ?? '', /Invalid digit, Value "MCMXC", Type: Integer/);
  assert.equal(errors[0]?.raw, song('S2', { year: 'MCMXC' }));
  // The cut line is rejected alone: a line break cannot be inside a JSON string, so the next line is a new record.
  assert.match(errors[1]?.reason ?? '', /unterminated string/);
  assert.match(errors[2]?.reason ?? '', /Invalid digit, Value "long", Type: Double/);
});

test('a record that is not an object is rejected; invalid UTF-8 is rejected with the record', async () => {
  const out = await copyAll(bytes('[1,2]\n', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), 'f');
  assert.deepEqual(out.errors.map((e) => e.reason), ['text outside a JSON object', 'invalid UTF-8']);
});

test('gzip-compressed objects are recognised by their magic bytes, even split across chunks', async () => {
  const gz = gzipSync(`${song('S1')}\n${song('S2')}\n`);
  const out = await copyAll(bytes(gz.subarray(0, 1), gz.subarray(1, 10), gz.subarray(10)), 'f.json.gz');
  assert.deepEqual(out.rows.map((r) => r[6]), ['S1', 'S2']);
  await assert.rejects(copyAll(bytes(gz.subarray(0, gz.length - 12)), 'cut.json.gz'),
    (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_INPUT_UNREADABLE' && /cut\.json\.gz: bad gzip data/.test(e.message));
});

test('an empty object yields no records', async () => {
  assert.deepEqual(await collect(copyBatches(bytes(), 'empty.json', stagingSongs, extract)), []);
});

test('repairs are counted per record: a lone surrogate stored as U+FFFD, a BOM; CRLF is whitespace to COPY, no repair', async () => {
  // JSON text with escapes, as the files hold them: one record with two lone surrogates, one with a whole pair, and a
  // lone surrogate in a key no column reads (not stored, so nothing repaired).
  const lone = song('S1').replace('"N"', '"N\\ud800"').replace('"T"', '"T\\udfff"');
  const pair = song('S2').replace('"N"', '"\\ud83d\\ude00"');
  const ignored = song('S3').replace('{', '{"note":"\\ud800",');
  const out = await copyAll(bytes(`\ufeff${lone}\r\n${pair}\r\n${ignored}\r\n`), 'f.json');
  assert.deepEqual(out.errors, []);
  assert.deepEqual(out.rows.map((r) => [r[5], r[7]]), [['N\ufffd', 'T\ufffd'], ['\ud83d\ude00', 'T'], ['N', 'T']]);
  assert.equal(out.repaired, 1, 'one record, with the BOM before it and two lone surrogates');
  assert.equal((await copyAll(bytes(`${pair}\r\n${ignored}\r\n`), 'f.json')).repaired, 0);
  assert.equal((await copyAll(bytes(`\ufeff${pair}\n`), 'f.json')).repaired, 1);
});
