import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemoryQuarantine, NdjsonQuarantine, rawLimit, type QuarantineRecord } from '../../src/datasets/quarantine.ts';
import { tempDir } from './corpus.ts';

const record = (over: Partial<QuarantineRecord> = {}): QuarantineRecord =>
  ({ source: 'logs', file: '/data/a.json', line: 3, field: 'ts', reason: 'missing required field', raw: '{"x":1}', ...over });

async function ndjson(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  assert.ok(text.endsWith('\n'));
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('NdjsonQuarantine writes one parseable JSON object per line with exactly the record fields', async (t) => {
  const path = join(await tempDir(t), 'nested', 'rejects.ndjson');
  const sink = new NdjsonQuarantine(path);
  const awkward = 'line one\nline two\r\n"quoted" \\ \u0000 \u2028 \ud800 caf\u00e9 \u{1f3b5}';
  sink.add(record());
  sink.add(record({ source: 'songs', line: 0, field: '', reason: 'invalid UTF-8', raw: awkward }));
  sink.add(record({ line: 9 }));
  await sink.close();

  const lines = await ndjson(path);
  assert.equal(lines.length, 3);
  for (const line of lines) assert.deepEqual(Object.keys(line).sort(), ['field', 'file', 'line', 'raw', 'reason', 'source']);
  assert.deepEqual(lines[0], record());
  // Newlines, NUL, U+2028 and even a lone surrogate (written as a \ud800 escape) round-trip inside one line.
  assert.equal(lines[1]?.raw, awkward);
  assert.deepEqual([sink.count('logs'), sink.count('songs'), sink.count('events'), sink.total], [2, 1, 0, 3]);
});

test('huge raw text is clipped, with the number of characters left out', async (t) => {
  const path = join(await tempDir(t), 'rejects.ndjson');
  const sink = new NdjsonQuarantine(path);
  const raw = `${'a'.repeat(rawLimit)}${'b'.repeat(5 * 1024 * 1024)}`;
  sink.add(record({ raw }));
  await sink.close();
  const [line] = await ndjson(path);
  assert.equal(line?.raw, `${'a'.repeat(rawLimit)}…[${5 * 1024 * 1024} more chars]`);
  assert.ok((await readFile(path)).length < rawLimit + 500);

  const memory = new MemoryQuarantine();
  memory.add(record({ raw }));
  memory.add(record({ raw: 'a'.repeat(rawLimit) }));
  assert.deepEqual(memory.records.map((r) => r.raw.length), [rawLimit + `…[${5 * 1024 * 1024} more chars]`.length, rawLimit]);
});

test('a clean run leaves no file; a later run appends to the same file', async (t) => {
  const path = join(await tempDir(t), 'rejects.ndjson');
  const clean = new NdjsonQuarantine(path);
  await clean.close();
  assert.equal(existsSync(path), false);

  const first = new NdjsonQuarantine(path);
  first.add(record({ line: 1 }));
  await first.close();
  const second = new NdjsonQuarantine(path);
  second.add(record({ line: 2 }));
  await second.close();
  await second.close();
  assert.deepEqual((await ndjson(path)).map((r) => r.line), [1, 2]);
});
