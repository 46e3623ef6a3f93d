import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SparkifyError } from '../../src/core/errors.ts';
import { listFiles } from '../../src/datasets/list-files.ts';
import { MemoryQuarantine } from '../../src/datasets/quarantine.ts';
import { readEventCsv } from '../../src/datasets/read-event-csv.ts';
import type { LineOptions } from '../../src/datasets/read-lines.ts';
import type { EventCsvRow } from '../../src/datasets/schemas.ts';
import { emptyCounts } from '../../src/datasets/source-counts.ts';
import { requireDataset, sample } from '../support/datasets.ts';
import { assertRejects, csvFixture, drain, isSparkifyError, tempDir, unreadableFiles } from './corpus.ts';

const read = (files: string[], options?: LineOptions) => drain<EventCsvRow>((q, c) => readEventCsv(files, q, c, options), 'events');

const tally = (c: { files: number; read: number; loaded: number; quarantined: number; repaired: number; precisionLost: number }) =>
  ({ files: c.files, read: c.read, loaded: c.loaded, quarantined: c.quarantined, repaired: c.repaired, precisionLost: c.precisionLost });

describe('readEventCsv on the bad-input corpus', () => {
  test('BOM + CRLF (as Excel saves it): the header matches and every row loads, counted as repaired', async () => {
    const file = csvFixture('bom-crlf.csv');
    const { records, rejects, counts } = await read([file]);
    assert.deepEqual(rejects, []);
    assert.deepEqual(tally(counts), { files: 1, read: 2, loaded: 2, quarantined: 0, repaired: 2, precisionLost: 0 });
    assert.deepEqual(records.map((r) => r.line), [2, 3]);
    const [first, second] = records.map((r) => r.record);
    assert.deepEqual(
      [first?.artist, first?.location, first?.registration, first?.sessionId, first?.ts, first?.userId, first?.length],
      ["Des'ree", 'Phoenix-Mesa-Scottsdale, AZ', 1540344794796, 139, 1541106106796, '8', 246.30812],
    );
    // Empty cells are null in nullable columns.
    assert.deepEqual([second?.artist, second?.length, second?.song, second?.page], [null, null, null, 'Upgrade']);
  });

  test('Excel-mangled numbers load with the digits Excel left, and every row holding one counts in precisionLost', async () => {
    const { records, rejects, counts } = await read([csvFixture('mangled-number.csv')]);
    assert.deepEqual(rejects, []);
    assert.deepEqual(tally(counts), { files: 1, read: 3, loaded: 3, quarantined: 0, repaired: 0, precisionLost: 2 });
    assert.deepEqual(records.map((r) => [r.line, r.record.registration, r.record.ts]), [
      [2, 1540920000000, 1541110000000],
      [3, 1540344794796, 1541106106796],
      [4, null, 1541110000000],
    ]);
  });

  test('a wrong header fails the file with SPK_E_BAD_RECORD naming the column', async () => {
    const file = csvFixture('wrong-header.csv');
    const quarantine = new MemoryQuarantine();
    const rows: unknown[] = [];
    const run = async () => {
      for await (const row of readEventCsv([file], quarantine, emptyCounts('events'))) rows.push(row);
    };
    await assert.rejects(run(), (e: unknown) => {
      assert.ok(e instanceof SparkifyError);
      assert.equal(e.code, 'SPK_E_BAD_RECORD');
      assert.ok(e.message.includes(`${file}:1: unexpected CSV header at column 17`), e.message);
      assert.deepEqual(e.details, { file, line: 1, field: 'userId' });
      return true;
    });
    assert.deepEqual([rows, quarantine.records], [[], []]);
  });

  test('a row with too few columns is quarantined; the rows around it load', async () => {
    const file = csvFixture('too-few-columns.csv');
    const { records, rejects, counts } = await read([file]);
    assertRejects(rejects, [{ file, line: 3, field: '', reason: 'expected 17 columns, got 16' }]);
    assert.deepEqual(records.map((r) => [r.line, r.record.itemInSession]), [[2, 1], [4, 3]]);
    assert.deepEqual(tally(counts), { files: 1, read: 3, loaded: 2, quarantined: 1, repaired: 0, precisionLost: 0 });
  });

  test('bad numbers and an unterminated quote are quarantined with their field; a quoted multi-line cell loads', async () => {
    const file = csvFixture('bad-numbers.csv');
    const expected = [
      { file, line: 2, field: 'sessionId', reason: 'expected a number, got "139x"' },
      { file, line: 3, field: 'itemInSession', reason: 'expected a 32-bit integer, got number 2.5' },
      // 1E+999 parses to Infinity: without a finiteness check it would load as an infinite song length.
      { file, line: 4, field: 'length', reason: 'expected a number, got number Infinity' },
      { file, line: 7, field: '', reason: 'unterminated quoted field at end of file' },
    ];
    for (const chunkBytes of [undefined, 3]) {
      const { records, rejects, counts } = await read([file], { chunkBytes });
      assertRejects(rejects, expected);
      assert.deepEqual(records.map((r) => [r.line, r.record.location, r.record.length]), [[5, 'Phoenix-Mesa-Scottsdale,\nAZ "metro"', 144.03873]]);
      assert.deepEqual(tally(counts), { files: 1, read: 5, loaded: 1, quarantined: 4, repaired: 0, precisionLost: 0 });
    }
  });

  test('an empty CSV file has no rows and no header to check', async (t) => {
    const file = join(await tempDir(t), 'empty.csv');
    await writeFile(file, '');
    const { records, counts } = await read([file]);
    assert.deepEqual([records.length, counts.files, counts.read], [0, 1, 0]);
  });

  test('an unreadable file fails with SPK_E_INPUT_UNREADABLE', async (t) => {
    for (const bad of await unreadableFiles(await tempDir(t))) {
      await assert.rejects(read([bad]), isSparkifyError('SPK_E_INPUT_UNREADABLE', bad));
    }
  });
});

/**
 * A second, deliberately different CSV reader for the expected counts: one pass of a character state
 * machine over the whole text (RFC 4180 quotes, CRLF or LF, blank lines skipped). Returns header + records.
 */
function parseWholeCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (body[i + 1] === '"') cell += body[i++];
      else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(cell);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

const scientific = /^-?\d(\.\d+)?E\+\d+$/i;

test('the course event CSVs: every physical record read, the mangled ones counted, the same events as the JSON logs', async (t) => {
  if (!requireDataset(t, sample.events) || !requireDataset(t, sample.logs)) return;
  const files = await listFiles(sample.events, '.csv');
  const { records, rejects, counts } = await read(files);

  let expectedRows = 0;
  let expectedMangled = 0;
  const csvKeys = new Map<string, string[]>();
  for (const file of files) {
    const [header, ...rows] = parseWholeCsv(await readFile(file, 'utf8'));
    assert.equal(header?.length, 17);
    expectedRows += rows.length;
    expectedMangled += rows.filter((cells) => cells.some((cell) => scientific.test(cell))).length;
    const day = (file.match(/(\d{4}-\d\d-\d\d)-events\.csv$/) ?? [])[1] as string;
    csvKeys.set(day, rows.map((c) => `${c[12]}:${c[4]}:${c[16]}:${c[10]}`).sort());
  }
  assert.deepEqual(rejects, []);
  assert.deepEqual(tally(counts), {
    files: files.length, read: expectedRows, loaded: expectedRows, quarantined: 0,
    // The files are CRLF throughout, so every row is a repaired one.
    repaired: expectedRows, precisionLost: expectedMangled,
  });
  assert.ok(expectedMangled > 0, 'the sample does hold Excel-mangled numbers');
  assert.equal(records.length, expectedRows);

  // The CSVs hold the same days as the JSON logs, event for event (sessionId:itemInSession:userId:page).
  const logDir = join(sample.logs, '2018', '11');
  const jsonDays = (await readdir(logDir)).filter((f) => f.endsWith('-events.json')).sort();
  assert.deepEqual([...csvKeys.keys()].sort(), jsonDays.map((f) => f.slice(0, 10)));
  let jsonEvents = 0;
  for (const name of jsonDays) {
    const lines = (await readFile(join(logDir, name), 'utf8')).split('\n').filter((l) => l.trim() !== '');
    jsonEvents += lines.length;
    const keys = lines.map((l) => JSON.parse(l) as Record<string, unknown>).map((e) => `${e.sessionId}:${e.itemInSession}:${e.userId}:${e.page}`).sort();
    assert.deepEqual(csvKeys.get(name.slice(0, 10)), keys, name);
  }
  assert.equal(expectedRows, jsonEvents);
  // The known answer, as in test/star: 8056 events over the 30 days of November 2018.
  assert.equal(expectedRows, 8056);
});
