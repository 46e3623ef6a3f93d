import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { test } from 'node:test';
import { splitJsonObjects, type JsonPiece } from '../../src/datasets/split-json-objects.ts';
import { heldBuffers, isSparkifyError, MiB, songFixture, tempDir, unreadableFiles } from './corpus.ts';

async function pieces(path: string, maxObjectBytes?: number): Promise<JsonPiece[]> {
  const out: JsonPiece[] = [];
  for await (const piece of splitJsonObjects(path, maxObjectBytes)) out.push(piece);
  return out;
}

const summary = (all: JsonPiece[]) =>
  all.map((p) => (p.kind === 'object' ? { line: p.line, repairs: p.repairs } : { line: p.line, bad: p.reason }));
const parsed = (p: JsonPiece | undefined) => {
  assert.equal(p?.kind, 'object');
  return JSON.parse((p as { bytes: Buffer }).bytes.toString('utf8')) as Record<string, unknown>;
};

test('concatenated objects: two on one line, one pretty-printed over 15 lines, one indented', async () => {
  const all = await pieces(songFixture('concatenated.json'));
  assert.deepEqual(summary(all), [
    { line: 1, repairs: [] },
    { line: 1, repairs: [] },
    { line: 2, repairs: [] },
    { line: 17, repairs: [] },
  ]);
  assert.deepEqual(all.map((p) => parsed(p).song_id), ['SOMZWCG12A8C13C480', 'SOCIWDW12A8C13D406', 'SOXVLOJ12AB0189215', 'SONHOTT12A8C13493C']);
  // Braces and escaped quotes inside strings do not end the object early.
  assert.deepEqual(parsed(all[2]).extra, { note: 'a } brace, a \\ and a " quote {' });
});

test('text between objects is one bad piece on its own line; the objects around it survive', async () => {
  const all = await pieces(songFixture('stray-text.json'));
  assert.deepEqual(summary(all), [{ line: 1, repairs: [] }, { line: 2, bad: 'text outside a JSON object' }, { line: 3, repairs: [] }]);
  assert.equal(all[1]?.kind === 'bad' && all[1].raw, 'garbage, not JSON');
});

test('a truncated last object is a bad piece at the line it starts on', async () => {
  const all = await pieces(songFixture('truncated.json'));
  assert.deepEqual(summary(all), [{ line: 1, repairs: [] }, { line: 2, bad: 'truncated JSON object (end of file inside the object)' }]);
  assert.ok(all[1]?.kind === 'bad' && all[1].raw.startsWith('{"num_songs": 1, "artist_id": "ARKFYS91187B98E58F"'));
});

test('a BOM is stripped and reported on the first object; CRLF pretty-printing needs no repair', async () => {
  assert.deepEqual(summary(await pieces(songFixture('bom.json'))), [{ line: 1, repairs: ['BOM'] }]);
  const crlf = await pieces(songFixture('crlf.json'));
  assert.deepEqual(summary(crlf), [{ line: 1, repairs: [] }, { line: 13, repairs: [] }]);
  assert.deepEqual(crlf.map((p) => parsed(p).title), ['Auguri Cha Cha', 'Tonight Will Be Alright']);
});

test('an empty file yields nothing', async () => {
  assert.deepEqual(await pieces(songFixture('empty.json')), []);
});

test('objects and multi-byte characters split across read chunks come back whole, with their start lines', async (t) => {
  const path = join(await tempDir(t), 'many.json');
  const out = createWriteStream(path);
  const count = 8000;
  // Pretty-printed, 6 lines each, ~200 bytes: the file spans several 256 KiB chunks and its objects straddle them.
  for (let i = 0; i < count; i++) {
    out.write(`${JSON.stringify({ song_id: `SO${i}`, title: `Caf\u00e9 \u20ac${i} \u{1f3b5}`, note: '}{"' }, null, 2).replace('\n', '\n\n')}\n`);
  }
  out.end();
  await finished(out);
  const all = await pieces(path);
  assert.equal(all.length, count);
  for (const [i, piece] of all.entries()) {
    assert.equal(piece.line, 1 + 6 * i);
    const value = parsed(piece);
    assert.deepEqual(value, { song_id: `SO${i}`, title: `Caf\u00e9 \u20ac${i} \u{1f3b5}`, note: '}{"' });
  }
});

test('a 10 MB object is reported in bounded memory and the next object still loads; a raised limit reads it', async (t) => {
  const path = join(await tempDir(t), 'huge.json');
  await writeFile(path, `{"title": "${'x'.repeat(10 * MiB)}"}\n{"title": "after"}\n`);

  const before = await heldBuffers();
  let heldAtBad = Number.NaN;
  const all: JsonPiece[] = [];
  for await (const piece of splitJsonObjects(path)) {
    if (piece.kind === 'bad') heldAtBad = (await heldBuffers()) - before;
    all.push(piece);
  }
  assert.deepEqual(summary(all), [{ line: 1, bad: `JSON object larger than ${4 * MiB} bytes` }, { line: 2, repairs: [] }]);
  assert.ok(all[0]?.kind === 'bad' && all[0].raw.startsWith('{"title": "xxx') && all[0].raw.length <= 2048);
  assert.equal(parsed(all[1]).title, 'after');
  // Bounded by the limit (the splitter keeps what it gathered up to the limit until the object ends), not by the object.
  assert.ok(heldAtBad < 5 * MiB, `held ${(heldAtBad / MiB).toFixed(1)} MiB while reporting the big object`);

  const raised: JsonPiece[] = [];
  let heldAtBig = Number.NaN;
  for await (const piece of splitJsonObjects(path, 16 * MiB)) {
    if (piece.line === 1) heldAtBig = (await heldBuffers()) - before;
    raised.push(piece);
  }
  assert.ok(heldAtBig >= 10 * MiB, `the same measurement sees a 10 MB object read whole (${(heldAtBig / MiB).toFixed(1)} MiB)`);
  assert.deepEqual(summary(raised), [{ line: 1, repairs: [] }, { line: 2, repairs: [] }]);
  assert.equal((parsed(raised[0]).title as string).length, 10 * MiB);
});

test('an unreadable file fails with SPK_E_INPUT_UNREADABLE naming it', async (t) => {
  for (const path of await unreadableFiles(await tempDir(t))) {
    await assert.rejects(pieces(path), isSparkifyError('SPK_E_INPUT_UNREADABLE', path));
  }
});

test('a small file, read in one call, and a file over 1 MiB, streamed, split into the same pieces', async (t) => {
  const dir = await tempDir(t);
  const body = '\uFEFF{"a": 1}\n{"b": "x}y"} {"c": [1, {"d": 2}]}\n  garbage\n{"e": 3';
  const small = join(dir, 'small.json');
  const big = join(dir, 'big.json');
  await writeFile(small, body);
  // Trailing whitespace changes no piece, only the file's size (and so how it is read).
  await writeFile(big, `${body.replace('{"e": 3', `{"e": 3${' '.repeat(MiB + 10)}`)}`);
  const expected = [
    { line: 1, repairs: ['BOM'] },
    { line: 2, repairs: [] },
    { line: 2, repairs: [] },
    { line: 3, bad: 'text outside a JSON object' },
    { line: 4, bad: 'truncated JSON object (end of file inside the object)' },
  ];
  assert.deepEqual(summary(await pieces(small)), expected);
  assert.deepEqual(summary(await pieces(big)), expected);
});
