import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeLine, readLineBatches, readLines, type BadLine, type LineOptions, type TextLine } from '../../src/datasets/read-lines.ts';
import { csvFixture, heldBuffers, isSparkifyError, logFixture, MiB, tempDir, unreadableFiles } from './corpus.ts';

async function lines(path: string, options?: LineOptions): Promise<(TextLine | BadLine)[]> {
  const out: (TextLine | BadLine)[] = [];
  for await (const item of readLines(path, options)) out.push(item);
  return out;
}

const summary = (items: (TextLine | BadLine)[]) =>
  items.map((i) => (i.kind === 'line' ? { line: i.line, repairs: i.repairs } : { line: i.line, bad: i.reason }));

test('CRLF is stripped and reported on every line; blank lines are skipped but still numbered', async () => {
  const items = await lines(logFixture('crlf.json'));
  assert.deepEqual(summary(items), [
    { line: 1, repairs: ['CRLF'] },
    { line: 2, repairs: ['CRLF'] },
    { line: 4, repairs: ['CRLF'] },
  ]);
  for (const item of items) {
    assert.equal(item.kind, 'line');
    if (item.kind === 'line') assert.doesNotThrow(() => JSON.parse(item.text), 'no CR left behind');
  }
});

test('a BOM is stripped from line 1 only and reported', async () => {
  const items = await lines(logFixture('bom.json'));
  assert.deepEqual(summary(items), [{ line: 1, repairs: ['BOM'] }, { line: 2, repairs: [] }]);
  const first = items[0];
  assert.ok(first?.kind === 'line' && first.text.startsWith('{"artist"'));
});

test('invalid UTF-8 makes a BadLine pointing at the first bad byte; the other lines are untouched', async () => {
  const bytes = await readFile(logFixture('invalid-utf8.json'));
  const physical = bytes.toString('latin1').split('\n');
  // Independently: line 2 holds a stray 0xFF, line 4 a Latin-1 "é" (0xE9, a lead byte followed by a quote).
  const ff = (physical[1] as string).indexOf('\xff');
  const e9 = (physical[3] as string).indexOf('\xe9');
  assert.ok(ff > 0 && e9 > 0);
  const items = await lines(logFixture('invalid-utf8.json'));
  assert.deepEqual(summary(items), [
    { line: 1, repairs: [] },
    { line: 2, bad: `invalid UTF-8 at byte ${ff} of the line` },
    { line: 3, repairs: [] },
    { line: 4, bad: `invalid UTF-8 at byte ${e9} of the line` },
  ]);
  const bad = items[1];
  assert.ok(bad?.kind === 'bad' && bad.raw.includes('"song":"Flat\uFFFD5"'), 'raw is decoded lossily, not dropped');
});

test('a line cut inside a multi-byte character points at the character, not past the end', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'cut.json');
  // "café" whose 2-byte é lost its second byte at the end of the line, and a 3-byte € cut after 2 bytes.
  await writeFile(path, Buffer.concat([Buffer.from('caf'), Buffer.from([0xc3]), Buffer.from('\nprice 5'), Buffer.from([0xe2, 0x82]), Buffer.from('\n')]));
  assert.deepEqual(summary(await lines(path)), [
    { line: 1, bad: 'invalid UTF-8 at byte 3 of the line' },
    { line: 2, bad: 'invalid UTF-8 at byte 7 of the line' },
  ]);
});

test('an empty file yields nothing', async () => {
  assert.deepEqual(await lines(logFixture('empty.json')), []);
});

test('the result does not depend on where chunks split lines, BOMs, CRLFs or UTF-8 sequences', async () => {
  for (const path of [logFixture('crlf.json'), logFixture('bom.json'), logFixture('invalid-utf8.json'), csvFixture('bom-crlf.csv'), csvFixture('bad-numbers.csv')]) {
    const whole = await lines(path);
    for (const chunkBytes of [1, 2, 3, 7, 64]) assert.deepEqual(await lines(path, { chunkBytes }), whole, `${path} with ${chunkBytes}-byte chunks`);
  }
});

test('raw lines, decoded one by one, are exactly the lines read decoded, at any chunk size and line limit', async (t) => {
  const dir = await tempDir(t);
  const mixed = join(dir, 'mixed.json');
  // Blank lines, CRLF, invalid UTF-8, multi-byte characters, an overlong line, no final newline.
  await writeFile(mixed, Buffer.concat([Buffer.from('\ufeff{"a":1}\n\n  \n{"b":"é"}\r\n{"c":'), Buffer.from([0xff, 0x0a]), Buffer.from(`${'x'.repeat(300)}\n{"d":"😀"}\n\t\r\n{"e":5}`)]));
  const files = [mixed, logFixture('crlf.json'), logFixture('bom.json'), logFixture('invalid-utf8.json'), csvFixture('bom-crlf.csv')];
  for (const path of files) {
    for (const options of [{}, { chunkBytes: 1 }, { chunkBytes: 7 }, { chunkBytes: 64 }, { chunkBytes: 64, maxLineBytes: 100 }]) {
      const expected = await lines(path, options);
      const got: (TextLine | BadLine)[] = [];
      let raws = 0;
      for await (const batch of readLineBatches(path, { ...options, raw: true })) {
        for (const item of batch) {
          if (item.kind !== 'raw') {
            got.push(item);
            continue;
          }
          raws++;
          const physical = item.bytes.subarray(item.start, item.end).toString('latin1').split('\n');
          let offset = item.start;
          physical.forEach((text, k) => {
            decodeLine(item.bytes.subarray(offset, offset + text.length), item.line + k, got);
            offset += text.length + 1;
          });
        }
      }
      assert.deepEqual(got, expected, `${path} ${JSON.stringify(options)}`);
      if (path === mixed && options.chunkBytes === undefined) assert.ok(raws > 0, 'the bulk of a chunk comes raw');
    }
  }
});

test('an overlong line is reported with its first 2048 bytes, however the chunks fall', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'long.txt');
  const long = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
  await writeFile(path, `short\n${long}\nafter`);
  for (const chunkBytes of [1, 7, 64, 3000, 1 << 20]) {
    const items = await lines(path, { maxLineBytes: 100, chunkBytes });
    assert.deepEqual(items[1], { kind: 'bad', line: 2, reason: 'line longer than 100 bytes', raw: long.slice(0, 2048) }, `${chunkBytes}-byte chunks`);
    assert.equal(items.length, 3);
  }
});

test('a line of exactly maxLineBytes is read; one byte more is reported', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'limit.txt');
  await writeFile(path, `${'a'.repeat(10)}\n${'b'.repeat(11)}\n${'c'.repeat(10)}`);
  assert.deepEqual(summary(await lines(path, { maxLineBytes: 10, chunkBytes: 4 })), [
    { line: 1, repairs: [] },
    { line: 2, bad: 'line longer than 10 bytes' },
    { line: 3, repairs: [] },
  ]);
});

test('a 10 MB single line is reported as too long in bounded memory, and read whole when the limit allows', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'huge.json');
  await writeFile(path, `{"n":1}\n"${'x'.repeat(10 * MiB)}"\n{"n":3}`);
  const last = join(dir, 'huge-last.json');
  await writeFile(last, `{"n":1}\n"${'y'.repeat(10 * MiB)}"`);

  const before = await heldBuffers();
  let heldAtBadLine = Number.NaN;
  const items: (TextLine | BadLine)[] = [];
  for await (const item of readLines(path)) {
    if (item.kind === 'bad') heldAtBadLine = (await heldBuffers()) - before;
    items.push(item);
  }
  assert.deepEqual(summary(items), [
    { line: 1, repairs: [] },
    { line: 2, bad: `line longer than ${4 * MiB} bytes` },
    { line: 3, repairs: [] },
  ]);
  const bad = items[1] as BadLine;
  assert.ok(bad.raw.startsWith('"xxx') && bad.raw.length <= 2048, `raw keeps only the head (${bad.raw.length} chars)`);
  // The reader keeps at most its current chunk (1 MiB) and the stream's read-ahead, never the 10 MB line.
  assert.ok(heldAtBadLine < 4 * MiB, `held ${(heldAtBadLine / MiB).toFixed(1)} MiB while reporting the long line`);

  assert.deepEqual(summary(await lines(last)), [{ line: 1, repairs: [] }, { line: 2, bad: `line longer than ${4 * MiB} bytes` }]);

  // With the limit raised the line is read whole, and the same measurement sees it held: the check above has teeth.
  const raised: (TextLine | BadLine)[] = [];
  let heldAtLongLine = Number.NaN;
  for await (const item of readLines(path, { maxLineBytes: 16 * MiB })) {
    if (item.line === 2) heldAtLongLine = (await heldBuffers()) - before;
    raised.push(item);
  }
  assert.deepEqual(summary(raised), [{ line: 1, repairs: [] }, { line: 2, repairs: [] }, { line: 3, repairs: [] }]);
  assert.ok(heldAtLongLine >= 10 * MiB, `held ${(heldAtLongLine / MiB).toFixed(1)} MiB with the line read whole`);
  const whole = raised[1];
  assert.ok(whole?.kind === 'line' && whole.text.length === 10 * MiB + 2);
});

test('an unreadable file fails with SPK_E_INPUT_UNREADABLE naming it', async (t) => {
  for (const path of await unreadableFiles(await tempDir(t))) {
    await assert.rejects(lines(path), isSparkifyError('SPK_E_INPUT_UNREADABLE', path));
  }
});
