import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { SparkifyError } from '../../src/core/errors.ts';
import { copyRecords } from '../../src/warehouse/copy/copy-records.ts';
import { autoExtractor } from '../../src/warehouse/copy/json-format.ts';
import { stagingSongs } from '../../src/warehouse/staging-tables.ts';
import { collect } from '../support/collect.ts';

const extract = autoExtractor(stagingSongs.columns, false);
const bytes = (...chunks: (string | Uint8Array)[]) => (async function* () {
  for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c;
})();
const song = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ num_songs: 1, artist_id: 'AR', artist_latitude: null, artist_longitude: null, artist_location: '', artist_name: 'N', song_id: id, title: 'T', duration: 2.5, year: 2001, ...extra });

test('one object per line, several on a line, or pretty-printed across lines: each a record at its first line', async () => {
  const text = `${song('S1')}\n${song('S2')}${song('S3')}\n${JSON.stringify(JSON.parse(song('S4')), null, 2)}\n`;
  const out = await collect(copyRecords(bytes(text), 'f.json', stagingSongs, extract));
  assert.deepEqual(out.map((r) => (r.ok ? r.cells[6] : r.error)), ['S1', 'S2', 'S3', 'S4']);
  assert.deepEqual(out[0], { ok: true, cells: [1, 'AR', null, null, '', 'N', 'S1', 'T', 2.5, 2001] });
});

test('rejects name the file, line, first failing column and reason, with the raw text', async () => {
  const text = [song('S1'), song('S2', { year: 'MCMXC' }), '{"broken": ', song('S3', { duration: 'long' })].join('\n');
  const out = await collect(copyRecords(bytes(text), 's3://b/song_data/x.json', stagingSongs, extract));
  const errors = out.flatMap((r) => (r.ok ? [] : [r.error]));
  assert.equal(out.filter((r) => r.ok).length, 1);
  assert.deepEqual(errors.map((e) => [e.table, e.file, e.line, e.column]), [
    ['staging_songs', 's3://b/song_data/x.json', 2, 'year'],
    ['staging_songs', 's3://b/song_data/x.json', 3, ''],
  ]);
  assert.match(errors[0]?.reason ?? '', /Invalid digit, Value "MCMXC", Type: Integer/);
  assert.equal(errors[0]?.raw, song('S2', { year: 'MCMXC' }));
  // The truncated object swallows the next one (its braces never balance): one reject, as a JSON reader sees it.
  assert.match(errors[1]?.reason ?? '', /truncated JSON object/);
});

test('a record that is not an object is rejected; invalid UTF-8 is rejected with the record', async () => {
  const out = await collect(copyRecords(bytes('[1,2]\n', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), 'f', stagingSongs, extract));
  assert.deepEqual(out.map((r) => (r.ok ? 'ok' : r.error.reason)), ['text outside a JSON object', 'invalid UTF-8']);
});

test('gzip-compressed objects are recognised by their magic bytes, even split across chunks', async () => {
  const gz = gzipSync(`${song('S1')}\n${song('S2')}\n`);
  const out = await collect(copyRecords(bytes(gz.subarray(0, 1), gz.subarray(1, 10), gz.subarray(10)), 'f.json.gz', stagingSongs, extract));
  assert.deepEqual(out.map((r) => r.ok && r.cells[6]), ['S1', 'S2']);
  await assert.rejects(collect(copyRecords(bytes(gz.subarray(0, gz.length - 12)), 'cut.json.gz', stagingSongs, extract)),
    (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_INPUT_UNREADABLE' && /cut\.json\.gz: bad gzip data/.test(e.message));
});

test('an empty object yields no records', async () => {
  assert.deepEqual(await collect(copyRecords(bytes(), 'empty.json', stagingSongs, extract)), []);
});
