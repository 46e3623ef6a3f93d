import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonObjectSplitter, type JsonPiece } from '../../src/datasets/json-object-splitter.ts';
import { SeededRandom } from '../../src/core/seeded-random.ts';

const tricky = [
  '{"a":"plain","b":"esc \\" quote","c":"back\\\\slash\\\\","d":"\\\\\\"","e":{"n":[1,{"x":"}"}]}}',
  '{"ua":"\\"Mozilla\\/5.0 (X11)\\"","k":"é ü 日本","z":null}{"two":"on one line"}',
  '  stray text  ',
  '{\n  "pretty": "printed",\n  "over": ["lines", "{not a brace}"]\n}',
  '{"cut": "line break',
  'inside a string"}',
  '{"last": "\\\\"}',
  '{"truncated": "at the end"',
].join('\n');

const describe = (pieces: JsonPiece[]) => pieces.map((p) => (p.kind === 'object' ? `${p.line}:${p.bytes.toString('utf8')}` : `${p.line}!${p.reason}`));

function split(bytes: Buffer, cuts: number[], lineBreakEndsString: boolean): string[] {
  const splitter = new JsonObjectSplitter(1 << 20, { lineBreakEndsString });
  const out: JsonPiece[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...splitter.push(bytes.subarray(from, cut)));
    from = cut;
  }
  out.push(...splitter.end());
  return describe(out);
}

test('the pieces do not depend on where chunks split strings, escapes, line breaks or UTF-8 sequences', () => {
  const bytes = Buffer.from(tricky);
  for (const lineBreakEndsString of [false, true]) {
    const whole = split(bytes, [], lineBreakEndsString);
    const rng = new SeededRandom(7);
    for (let round = 0; round < 300; round++) {
      const cuts = Array.from({ length: rng.int(1, 12) }, () => rng.int(0, bytes.length)).sort((a, b) => a - b);
      assert.deepEqual(split(bytes, cuts, lineBreakEndsString), whole, `cuts ${cuts}`);
    }
    // Every single-byte chunking too.
    assert.deepEqual(split(bytes, Array.from({ length: bytes.length }, (_, i) => i), lineBreakEndsString), whole);
  }
});

test('what the pieces are, with and without line breaks ending strings', () => {
  const objects = (pieces: string[]) => pieces.map((p) => p.replace(/^(\d+)[:!].*$/s, (m, line) => `${line}${m.includes(':{') ? ' object' : ' bad'}`));
  const lenient = split(Buffer.from(tricky), [], false);
  assert.deepEqual(lenient.slice(0, 3).map((p) => JSON.parse(p.slice(p.indexOf(':') + 1)) as unknown), [
    { a: 'plain', b: 'esc " quote', c: 'back\\slash\\', d: '\\"', e: { n: [1, { x: '}' }] } },
    { ua: '"Mozilla/5.0 (X11)"', k: 'é ü 日本', z: null },
    { two: 'on one line' },
  ]);
  assert.deepEqual(objects(lenient), ['1 object', '2 object', '2 object', '3 bad', '4 object', '8 object', '10 object', '11 bad']);
  const strict = split(Buffer.from(tricky), [], true);
  assert.deepEqual(objects(strict), ['1 object', '2 object', '2 object', '3 bad', '4 object', '8 bad', '9 bad', '10 object', '11 bad']);
  assert.match(strict[5] ?? '', /unterminated string \(line break inside a JSON string\)/);
});
