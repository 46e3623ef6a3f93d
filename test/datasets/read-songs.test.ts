import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { listFiles } from '../../src/datasets/list-files.ts';
import { MemoryQuarantine } from '../../src/datasets/quarantine.ts';
import { readSongs } from '../../src/datasets/read-songs.ts';
import type { SongRecord } from '../../src/datasets/schemas.ts';
import { emptyCounts } from '../../src/datasets/source-counts.ts';
import { assertRejects, corpus, drain, isSparkifyError, MiB, songFixture, tempDir, unreadableFiles, type ExpectedReject } from './corpus.ts';

interface Case {
  file: string;
  /** song_id and start line of every record that must load. */
  loads: [string, number][];
  rejects: Omit<ExpectedReject, 'file'>[];
  repaired?: number;
}

const cases: Case[] = [
  { file: 'good.json', loads: [['SOZCTXZ12AB0182364', 1]], rejects: [] },
  {
    file: 'concatenated.json',
    loads: [['SOMZWCG12A8C13C480', 1], ['SOCIWDW12A8C13D406', 1], ['SOXVLOJ12AB0189215', 2], ['SONHOTT12A8C13493C', 17]],
    rejects: [],
  },
  {
    file: 'truncated.json',
    loads: [['SOFSOCN12A8C143F5D', 1]],
    rejects: [{ line: 2, field: '', reason: 'truncated JSON object' }],
  },
  {
    file: 'wrong-types.json',
    loads: [['SOIAZJW12AB01853F1', 3]],
    rejects: [
      { line: 1, field: 'duration', reason: 'expected a number, got the string "114.78159"' },
      { line: 2, field: 'year', reason: 'expected a 32-bit integer, got number 1984.5' },
    ],
  },
  {
    file: 'missing-field.json',
    loads: [['SOUDSGM12AC9618304', 1]],
    rejects: [
      { line: 2, field: 'song_id', reason: 'missing required field' },
      { line: 3, field: 'title', reason: 'null in a required field' },
    ],
  },
  { file: 'number-as-text.json', loads: [['SOVXWXZ12A8C13F0F1', 1]], rejects: [], repaired: 1 },
  { file: 'bom.json', loads: [['SOMUYGI12AB0188633', 1]], rejects: [], repaired: 1 },
  // CRLF between JSON tokens is plain whitespace: nothing to repair.
  { file: 'crlf.json', loads: [['SORAMLE12AB017C8B0', 1], ['SOBONFF12A6D4F84D8', 13]], rejects: [], repaired: 0 },
  {
    file: 'invalid-utf8.json',
    loads: [['SOZCTXZ12AB0182364', 2]],
    rejects: [{ line: 1, field: '', reason: 'invalid UTF-8' }],
  },
  {
    file: 'stray-text.json',
    loads: [['SOMZWCG12A8C13C480', 1], ['SOCIWDW12A8C13D406', 3]],
    rejects: [{ line: 2, field: '', reason: 'text outside a JSON object' }],
  },
  { file: 'empty.json', loads: [], rejects: [] },
];

const read = (files: string[]) => drain<SongRecord>((q, c) => readSongs(files, q, c), 'songs');

describe('readSongs on the bad-input corpus', () => {
  for (const c of cases) {
    test(`${c.file}: ${c.rejects.length} quarantined, ${c.loads.length} loaded`, async () => {
      const file = songFixture(c.file);
      const { records, rejects, counts } = await read([file]);
      assertRejects(rejects, c.rejects.map((r) => ({ ...r, file })));
      assert.deepEqual(records.map((r) => [r.record.song_id, r.line]), c.loads);
      assert.ok(records.every((r) => r.file === file));
      assert.deepEqual(
        { files: counts.files, read: counts.read, loaded: counts.loaded, quarantined: counts.quarantined, repaired: counts.repaired },
        { files: 1, read: c.loads.length + c.rejects.length, loaded: c.loads.length, quarantined: c.rejects.length, repaired: c.repaired ?? 0 },
      );
    });
  }

  test('a number in a text field is taken as its text', async () => {
    const { records } = await read([songFixture('number-as-text.json')]);
    assert.equal(records[0]?.record.artist_name, '112');
  });

  test('the bad byte is visible in the quarantined raw text', async () => {
    const { rejects } = await read([songFixture('invalid-utf8.json')]);
    assert.ok(rejects[0]?.raw.includes('"title": "Floating Caf\uFFFD"'), rejects[0]?.raw);
  });

  test('the whole song_data directory: every record is accounted for, in file order', async () => {
    const files = await listFiles(join(corpus, 'song_data'), '.json');
    const { records, rejects, counts } = await read(files);
    assert.deepEqual(
      { files: counts.files, read: counts.read, loaded: counts.loaded, quarantined: counts.quarantined, repaired: counts.repaired },
      {
        files: cases.length,
        read: cases.reduce((n, c) => n + c.loads.length + c.rejects.length, 0),
        loaded: cases.reduce((n, c) => n + c.loads.length, 0),
        quarantined: cases.reduce((n, c) => n + c.rejects.length, 0),
        repaired: 2,
      },
    );
    assert.deepEqual(rejects.map((r) => r.file), [...rejects.map((r) => r.file)].sort());
    assert.deepEqual(records.map((r) => r.file), [...records.map((r) => r.file)].sort());
  });

  test('a lone surrogate (\\udc00) is loaded as U+FFFD and counted as repaired; a deep nesting is quarantined', async (t) => {
    const file = join(await tempDir(t), 'odd.json');
    await writeFile(file, [
      '{"artist_id": "AR1", "artist_name": "El\\udc00ena", "song_id": "SO1", "title": "T", "duration": 1.5}',
      `{"artist_id": "AR2", "artist_name": ${'['.repeat(5000)}${']'.repeat(5000)}, "song_id": "SO2", "title": "T", "duration": 1.5}`,
    ].join('\n'));
    const { records, rejects, counts } = await read([file]);
    assertRejects(rejects, [{ file, line: 2, field: 'artist_name', reason: 'expected a string, got an array' }]);
    assert.deepEqual(records.map((r) => r.record.artist_name), ['El\ufffdena']);
    assert.equal(counts.repaired, 1);
  });

  test('range rules: out-of-range year, latitude/longitude and a negative duration are accepted as given (README, Bad input)', async (t) => {
    const file = join(await tempDir(t), 'ranges.json');
    await writeFile(file, '{"artist_id": "AR1", "artist_name": "A", "song_id": "SO1", "title": "T", "duration": -1.5, "year": -5, "artist_latitude": 200.5, "artist_longitude": -999}');
    const { records, rejects } = await read([file]);
    assert.deepEqual(rejects, []);
    assert.deepEqual(records.map(({ record: r }) => [r.duration, r.year, r.artist_latitude, r.artist_longitude]), [[-1.5, -5, 200.5, -999]]);
  });

  test('a 10 MB song object is quarantined as too large and the next object still loads', async (t) => {
    const file = join(await tempDir(t), 'huge.json');
    await writeFile(file, `{"song_id": "SOBIG", "title": "${'x'.repeat(10 * MiB)}"}\n{"artist_id": "AR1", "artist_name": "After", "song_id": "SOAFTER", "title": "After", "duration": 1.5}`);
    const { records, rejects } = await read([file]);
    assertRejects(rejects, [{ file, line: 1, field: '', reason: `JSON object larger than ${4 * MiB} bytes` }]);
    assert.ok((rejects[0]?.raw.length ?? Infinity) <= 2048);
    assert.deepEqual(records.map((r) => [r.record.song_id, r.line]), [['SOAFTER', 2]]);
  });

  test('an unreadable file fails the read with SPK_E_INPUT_UNREADABLE after the files before it', async (t) => {
    for (const bad of await unreadableFiles(await tempDir(t))) {
      const seen: string[] = [];
      const counts = emptyCounts('songs');
      const run = async () => {
        for await (const r of readSongs([songFixture('good.json'), bad], new MemoryQuarantine(), counts)) seen.push(r.record.song_id);
      };
      await assert.rejects(run(), isSparkifyError('SPK_E_INPUT_UNREADABLE', bad));
      assert.deepEqual(seen, ['SOZCTXZ12AB0182364']);
    }
  });
});
