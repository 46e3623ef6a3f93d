import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { listFiles } from '../../src/datasets/list-files.ts';
import { MemoryQuarantine } from '../../src/datasets/quarantine.ts';
import type { LineOptions } from '../../src/datasets/read-lines.ts';
import { readLogEvents } from '../../src/datasets/read-log-events.ts';
import type { LogEvent } from '../../src/datasets/schemas.ts';
import { emptyCounts } from '../../src/datasets/source-counts.ts';
import { assertRejects, corpus, drain, isSparkifyError, logFixture, MiB, tempDir, unreadableFiles, type ExpectedReject } from './corpus.ts';

interface Case {
  file: string;
  /** Line of every event that must load. */
  loads: number[];
  rejects: Omit<ExpectedReject, 'file'>[];
  repaired?: number;
}

/** Where the first bad byte sits on a line of a fixture, found without the reader. */
async function badByteAt(file: string, line: number, byte: number): Promise<number> {
  const text = (await readFile(logFixture(file))).toString('latin1').split('\n')[line - 1] ?? '';
  return text.indexOf(String.fromCharCode(byte));
}

const cases: Case[] = [
  { file: 'good.json', loads: [1, 2, 3, 4, 5, 6], rejects: [] },
  {
    file: 'wrong-types.json',
    loads: [1, 5],
    rejects: [
      { line: 2, field: 'sessionId', reason: 'expected a 32-bit integer, got the string "139"' },
      { line: 3, field: 'ts', reason: 'expected an integer, got number 1541106352796.5' },
      { line: 4, field: '', reason: 'expected a JSON object, got an array' },
    ],
    // Line 5 gives userId as the number 8: loaded as "8" and counted as repaired.
    repaired: 1,
  },
  {
    file: 'missing-field.json',
    loads: [2],
    rejects: [
      { line: 1, field: 'ts', reason: 'missing required field' },
      { line: 3, field: 'page', reason: 'null in a required field' },
    ],
  },
  { file: 'truncated.json', loads: [1, 3], rejects: [{ line: 2, field: '', reason: 'not valid JSON' }] },
  { file: 'bom.json', loads: [1, 2], rejects: [], repaired: 1 },
  { file: 'crlf.json', loads: [1, 2, 4], rejects: [], repaired: 3 },
  {
    file: 'invalid-utf8.json',
    loads: [1, 3],
    rejects: [
      { line: 2, field: '', reason: `invalid UTF-8 at byte ${await badByteAt('invalid-utf8.json', 2, 0xff)} of the line` },
      { line: 4, field: '', reason: `invalid UTF-8 at byte ${await badByteAt('invalid-utf8.json', 4, 0xe9)} of the line` },
    ],
  },
  { file: 'empty.json', loads: [], rejects: [] },
  // Postgres text cannot hold U+0000: letting it through would fail the whole load at COPY.
  { file: 'nul-in-text.json', loads: [2], rejects: [{ line: 1, field: 'song', reason: 'NUL character' }] },
  // sessionId and itemInSession are 32-bit integer columns in the warehouse; so is songs.year.
  {
    file: 'out-of-range.json',
    loads: [3],
    rejects: [
      { line: 1, field: 'sessionId', reason: 'expected a 32-bit integer, got number 3000000000' },
      { line: 2, field: 'itemInSession', reason: 'expected a 32-bit integer, got number -2147483649' },
    ],
  },
];

const read = (files: string[], options?: LineOptions) => drain<LogEvent>((q, c) => readLogEvents(files, q, c, options), 'logs');

describe('readLogEvents on the bad-input corpus', () => {
  for (const c of cases) {
    test(`${c.file}: ${c.rejects.length} quarantined, ${c.loads.length} loaded`, async () => {
      const file = logFixture(c.file);
      const { records, rejects, counts } = await read([file]);
      assertRejects(rejects, c.rejects.map((r) => ({ ...r, file })));
      assert.deepEqual(records.map((r) => r.line), c.loads);
      assert.ok(records.every((r) => r.file === file && JSON.parse(r.raw) !== undefined), 'raw is the line as text');
      assert.deepEqual(
        { files: counts.files, read: counts.read, loaded: counts.loaded, quarantined: counts.quarantined, repaired: counts.repaired },
        { files: 1, read: c.loads.length + c.rejects.length, loaded: c.loads.length, quarantined: c.rejects.length, repaired: c.repaired ?? 0 },
      );
    });
  }

  test('values survive the repairs', async () => {
    const { records } = await read([logFixture('wrong-types.json'), logFixture('bom.json'), logFixture('crlf.json')]);
    assert.deepEqual(records.map((r) => [r.record.userId, r.record.itemInSession, r.record.song]), [
      ['8', 1, 'You Gotta Be'], ['8', 4, 'Quem Quiser Encontrar O Amor'],
      ['8', 1, 'You Gotta Be'], ['8', 3, 'Flat 55'],
      ['8', 1, 'You Gotta Be'], ['8', 3, 'Flat 55'], ['8', 5, 'Eriatarka'],
    ]);
  });

  test('the whole log_data directory: every line is accounted for', async () => {
    const files = await listFiles(join(corpus, 'log_data'), '.json');
    const { counts } = await read(files);
    assert.deepEqual(
      { files: counts.files, read: counts.read, loaded: counts.loaded, quarantined: counts.quarantined, repaired: counts.repaired },
      {
        files: cases.length,
        read: cases.reduce((n, c) => n + c.loads.length + c.rejects.length, 0),
        loaded: cases.reduce((n, c) => n + c.loads.length, 0),
        quarantined: cases.reduce((n, c) => n + c.rejects.length, 0),
        repaired: cases.reduce((n, c) => n + (c.repaired ?? 0), 0),
      },
    );
  });

  test('a lone surrogate (\\ud800) is loaded as U+FFFD and counted as repaired; a deep nesting is quarantined', async (t) => {
    const file = join(await tempDir(t), 'odd.json');
    const good = (await readFile(logFixture('good.json'), 'utf8')).split('\n');
    const lone = (good[1] as string).replace('"Kid Rock"', '"Kid \\ud800Rock"');
    const deep = (good[2] as string).replace('"artist":', `"artist":${'['.repeat(5000)}${']'.repeat(5000)},"was":`);
    await writeFile(file, [good[0], lone, deep, good[3]].join('\n'));
    const { records, rejects, counts } = await read([file]);
    assertRejects(rejects, [{ file, line: 3, field: 'artist', reason: 'expected a string, got an array' }]);
    assert.deepEqual(records.map((r) => [r.line, r.record.artist]), [[1, null], [2, 'Kid \ufffdRock'], [4, 'CSS']]);
    assert.equal(counts.repaired, 1);
  });

  test('range rules: negative sessionId, itemInSession and length are accepted as given (README, Bad input)', async (t) => {
    const file = join(await tempDir(t), 'ranges.json');
    const good = (await readFile(logFixture('good.json'), 'utf8')).split('\n');
    await writeFile(file, JSON.stringify({ ...JSON.parse(good[1] as string), sessionId: -3, itemInSession: -1, length: -2.5 }));
    const { records, rejects } = await read([file]);
    assert.deepEqual(rejects, []);
    assert.deepEqual(records.map(({ record: e }) => [e.sessionId, e.itemInSession, e.length]), [[-3, -1, -2.5]]);
  });

  test('a 10 MB event line: quarantined as too long by default (raw clipped), loaded when the limit is raised', async (t) => {
    const file = join(await tempDir(t), 'huge.json');
    const good = (await readFile(logFixture('good.json'), 'utf8')).split('\n');
    const huge = JSON.stringify({ ...JSON.parse(good[1] as string), song: 'x'.repeat(10 * MiB) });
    await writeFile(file, [good[0], huge, good[2]].join('\n'));

    const strict = await read([file]);
    assertRejects(strict.rejects, [{ file, line: 2, field: '', reason: `line longer than ${4 * MiB} bytes` }]);
    assert.ok(/^\{"artist":"Kid Rock".*…\[\d+ more chars\]$/.test(strict.rejects[0]?.raw ?? ''), 'raw is the clipped head of the line');
    assert.ok((strict.rejects[0]?.raw.length ?? Infinity) < 2100);
    assert.deepEqual(strict.records.map((r) => r.line), [1, 3]);

    const raised = await read([file], { maxLineBytes: 16 * MiB });
    assert.deepEqual(raised.rejects, []);
    assert.deepEqual(raised.records.map((r) => [r.line, r.record.song?.length]), [[1, undefined], [2, 10 * MiB], [3, 'Barfly'.length]]);
  });

  test('an unreadable file fails the read with SPK_E_INPUT_UNREADABLE after the files before it', async (t) => {
    for (const bad of await unreadableFiles(await tempDir(t))) {
      let seen = 0;
      const run = async () => {
        for await (const _ of readLogEvents([logFixture('good.json'), bad], new MemoryQuarantine(), emptyCounts('logs'))) seen++;
      };
      await assert.rejects(run(), isSparkifyError('SPK_E_INPUT_UNREADABLE', bad));
      assert.equal(seen, 6);
    }
  });
});
