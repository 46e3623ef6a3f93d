import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { PlainJsonCheck } from '../../../src/fastpath/warehouse/plain-json-check.ts';
import { wasmFile } from '../../../src/fastpath/wasm-modules.ts';
import { plainJsonCheck, wasmPlainJsonCheck, type PlainCheck } from '../../../src/fastpath/warehouse/plain-json-check-wasm.ts';
import type { CopyType } from '../../../src/pipelines/warehouse/staging-tables.ts';
import { requireDataset, sample } from '../../support/datasets.ts';

type Make = (keys: readonly string[], types: readonly CopyType[]) => PlainCheck;

/** The WebAssembly check, which `npm ci` and `npm test` build: missing, it fails under CI and is skipped loudly elsewhere. */
function wasmOrSkip(t: TestContext): Make | undefined {
  if (wasmPlainJsonCheck(['k'], ['varchar']) !== undefined) return (keys, types) => wasmPlainJsonCheck(keys, types) as PlainCheck;
  const message = `the WebAssembly check is not built: ${wasmFile('plain-json-check')} (node scripts/build-wasm.ts)`;
  if (process.env.CI === 'true') throw new Error(message);
  process.stderr.write(`\n*** SKIPPED: ${message} ***\n`);
  t.skip(message);
  return undefined;
}

const implementations: [string, (t: TestContext) => Make | undefined][] = [
  ['reference (JavaScript)', () => (keys, types) => new PlainJsonCheck(keys, types)],
  ['WebAssembly', wasmOrSkip],
];

/** Feeds `b` cut at each of `cuts` (ascending offsets), stopping once a feed says the bytes are not plain. */
function verdictOf(check: PlainCheck, b: Uint8Array, cuts: readonly number[] = []): string | undefined {
  let from = 0;
  for (const cut of [...cuts, b.length]) {
    if (!check.feed(b.subarray(from, cut))) break;
    from = cut;
  }
  return check.end();
}

for (const [name, implementation] of implementations) {
  describe(`PlainJsonCheck, ${name}`, () => {
    const keys = ['s', 'n', 'd', 't'];
    const types = ['varchar', 'integer', 'double', 'timestamp'] as const;
    const plain = [
      '{"s":"a","n":15,"d":1.5,"t":1541903636796}\n{"n":"15","s":null,"d":-2.5E-3}\r\n\n  {}  \n{"n":""}',
      '{"x":[1,{"y":null,"z":[true,false,"a,]NaN"]}],"x2":1e999,"s":"x\\"y\\\\","d":123456789012345678901234567890}',
      '{ "s" : "\\u00e9\\ud83d\\ude00" , "t" : -62135596800000 , "n" : 0 }', '',
      '{"s":"a string longer than sixteen bytes, with \\"escapes\\" \\\\ and \\/ in it, to be read 16 bytes at a time"}\n',
    ];
    const notPlain: [string, string][] = [
      ['{"s":"a",}', 'line 1: a key is not a string'], ['{"s":1}', 'line 1: a value that is not a plain varchar for "s"'],
      ['{"n":1.5}', 'line 1: a value that is not a plain integer for "n"'], ['{"n":true}', 'line 1: a value that is not a plain integer for "n"'],
      ['{"n":"015"}', 'line 1: a value that is not a plain integer for "n"'], ['{"n":1234567890}', 'line 1: a value that is not a plain integer for "n"'],
      ['{"d":"1.5"}', 'line 1: a value that is not a plain double for "d"'], ['{"d":1e400}', 'line 1: a value that is not a plain double for "d"'],
      ['{"d":NaN}', 'line 1: a value that is not a plain double for "d"'], ['{"x":-Infinity}', 'line 1: a value that is not plain JSON'],
      ['{"x":[1,]}', 'line 1: a value that is not plain JSON'], ['{"t":253402300800000}', 'line 1: a value that is not a plain timestamp for "t"'],
      ['{"t":"1541903636796"}', 'line 1: a value that is not a plain timestamp for "t"'], ['{"s":"a\\u0000"}', 'line 1: a value that is not a plain varchar for "s"'],
      ['{"s":"a"}\nnull', 'line 2: not an object'], ['{"s":"a","s":"b"}', 'line 1: a repeated key'], ['{"\\u0073":"a"}', 'line 1: a key with an escape'],
      ['{"s":"a"}{"s":"b"}', 'line 1: more than one value on the line'], ['{"s":\n"a"}', 'line 1: a value that is not a plain varchar for "s"'], ['{"s"\n:"a"}', 'line 1: no colon after a key'],
      ['\ufeff{"s":"a"}', 'line 1: not an object'], ['[{"s":"a"}]', 'line 1: not an object'],
      ['{"s":"a long string that runs past its line\'s end\n"}', 'line 1: a value that is not a plain varchar for "s"'],
      ['{"s":"ends with a backslash and a newline\\\n"}', 'line 1: a value that is not a plain varchar for "s"'], ['{"s', 'line 1: an unterminated key'],
      ['{"s":"a\\\n"}\n{"s":"b"}\n', 'line 1: a value that is not a plain varchar for "s"'],
    ];
    test('plain lines pass, cut anywhere', (t) => {
      const make = implementation(t);
      if (make === undefined) return;
      for (const text of plain) {
        for (let cut = 0; cut <= Buffer.byteLength(text); cut++) assert.equal(verdictOf(make(keys, types), Buffer.from(text), [cut]), undefined, `${JSON.stringify(text)} cut at ${cut}`);
      }
    });
    test('a line DuckDB would read otherwise than COPY is named with its line, cut anywhere', (t) => {
      const make = implementation(t);
      if (make === undefined) return;
      for (const [text, problem] of notPlain) {
        assert.equal(verdictOf(make(keys, types), Buffer.from(text)), problem, text);
        for (let cut = 0; cut <= Buffer.byteLength(text); cut++) assert.equal(verdictOf(make(keys, types), Buffer.from(text), [cut]), problem, `${text} cut at ${cut}`);
      }
    });
    test('gzip bytes are named', (t) => {
      const make = implementation(t);
      if (make === undefined) return;
      const check = make(keys, types);
      check.feed(new Uint8Array([0x1f, 0x8b, 8, 0]));
      assert.equal(check.end(), 'line 1: gzip-compressed');
    });
    test('a line longer than 16 MB is named', (t) => {
      const make = implementation(t);
      if (make === undefined) return;
      const check = make(keys, types);
      const piece = Buffer.alloc(1024 * 1024, 0x61);
      check.feed(Buffer.from('{"s":"'));
      let fed = true;
      for (let i = 0; i < 17 && fed; i++) fed = check.feed(piece);
      assert.equal(fed, false);
      assert.equal(check.end(), 'line 1: a line longer than 16 MB');
    });
  });
}

/** A number generator from a fixed seed (mulberry32): random(n) is an integer below n, from all of its bits. */
function seeded(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 2 ** 32) * n);
  };
}

/** 20,000 copies of `lines`, each with one or two random edits: a character replaced by, or inserted from, `alphabet`, or one deleted. */
function damaged20k(lines: readonly string[], alphabet: string): string[] {
  const random = seeded(1);
  return Array.from({ length: 20_000 }, () => {
    let text = lines[random(lines.length)] as string;
    for (let edits = 1 + random(2); edits > 0; edits--) {
      const at = random(text.length + 1);
      const c = alphabet[random(alphabet.length)] as string;
      const kind = random(3);
      text = kind === 0 ? text.slice(0, at) + c + text.slice(at + 1) : kind === 1 ? text.slice(0, at) + c + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
    }
    return text;
  });
}

describe('PlainJsonCheck on WebAssembly gives the reference verdicts', () => {
  // Keys of 15 and 16 bytes and more: one 16-byte comparison reads a key of up to 15, a longer one another way.
  const keys = ['s', 'fifteenBytesKey', 'sixteenBytesKey_', 'aKeyOfMoreThanThirtyTwoBytesInAll', 'n', 'd', 't', 'b'];
  const types: CopyType[] = ['varchar', 'varchar', 'integer', 'double', 'integer', 'double', 'timestamp', 'bigint'];
  const lines = [
    '{"s":"plain","fifteenBytesKey":"x","sixteenBytesKey_":12,"aKeyOfMoreThanThirtyTwoBytesInAll":1.25,"n":"7","d":-0.5e-3,"t":1541903636796,"b":-12}',
    '{"b":1,"t":-1,"d":2,"n":3,"aKeyOfMoreThanThirtyTwoBytesInAll":4,"sixteenBytesKey_":"","fifteenBytesKey":null,"s":"\\"quoted\\" and \\\\ with \\u00e9"}',
    '{"s":"a string of more than thirty-two bytes, so that it is read sixteen at a time","other":{"x":[1,2,{"y":"z"}]},"n":null}',
    '{ "s" : "spaced" , "n" : 12 }\r',
    // Values at their types' bounds, so that one more digit or character crosses them.
    '{"n":123456789,"sixteenBytesKey_":"123456789","t":253402300799999,"b":-999999999999999,"d":1.5e99,"s":"\\u000x"}',
    '{"t":-62135596800000,"d":-1e-999,"aKeyOfMoreThanThirtyTwoBytesInAll":12345678901234567890,"s":"\\u0001"}',
    '{"fifteenBytesKeX":"not a column","fifteenBytesKey":"one","unknown":[true,false,null,-1.5e10,"s"]}',
    '',
  ];
  test('on 20,000 randomly damaged lines, in chunks of every size from 1 byte', (t) => {
    const make = wasmOrSkip(t);
    if (make === undefined) return;
    const damaged = damaged20k(lines, '"\\{}[],:0123456789.eE+-nultrfas \n\r\t\u00e9\u0000x');
    let disagreements = 0;
    let notPlainSeen = 0;
    let texts = 0;
    // Three lines to a text, so that a verdict also names the right line (and an earlier bad line seldom hides a
    // later one); texts split at random points.
    const random = seeded(2);
    for (let at = 0; at < damaged.length; at += 3) {
      const text = Buffer.from(damaged.slice(at, at + 3).join('\n'));
      texts++;
      const chunk = 1 + random(Math.max(1, text.length));
      const cuts: number[] = [];
      for (let c = chunk; c < text.length; c += 1 + random(chunk * 2)) cuts.push(c);
      const expected = verdictOf(new PlainJsonCheck(keys, types), text, cuts);
      const got = verdictOf(make(keys, types), text, cuts);
      if (expected !== undefined) notPlainSeen++;
      if (got !== expected) {
        disagreements++;
        assert.equal(got, expected, `${JSON.stringify(text.toString())} cut at ${cuts.join(',')}`);
      }
    }
    assert.equal(disagreements, 0);
    // The damage makes most texts not plain, and leaves some plain: both kinds are compared.
    assert.ok(notPlainSeen > texts / 10 && notPlainSeen < texts * 0.99, `${notPlainSeen} of ${texts} texts not plain`);
  });
  test('the course sample, its files cut at random, passes on both', (t) => {
    const make = wasmOrSkip(t);
    if (make === undefined || !requireDataset(t, sample.logs)) return;
    const paths = JSON.parse(readFileSync(sample.jsonPaths, 'utf8')) as { jsonpaths: string[] };
    const sampleKeys = paths.jsonpaths.map((p) => /^\$\['(.+)'\]$/.exec(p)?.[1] as string);
    const byKey: Record<string, CopyType> = { itemInSession: 'integer', sessionId: 'integer', status: 'integer', userId: 'integer', length: 'double', registration: 'double', ts: 'timestamp' };
    const sampleTypes = sampleKeys.map((k): CopyType => byKey[k] ?? 'varchar');
    const files = readdirSync(sample.logs, { recursive: true }).map(String).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 30);
    for (const [i, file] of files.entries()) {
      const text = readFileSync(join(sample.logs, file));
      const cuts = [1 + (i * 7919) % 4096, 70_000 + i];
      assert.equal(verdictOf(new PlainJsonCheck(sampleKeys, sampleTypes), text, cuts), undefined, file);
      assert.equal(verdictOf(make(sampleKeys, sampleTypes), text, cuts), undefined, file);
    }
  });
  test('plainJsonCheck picks WebAssembly when it can hold the keys, and the reference when it cannot', (t) => {
    if (wasmOrSkip(t) === undefined) return;
    assert.ok(!(plainJsonCheck(['k'], ['varchar']) instanceof PlainJsonCheck));
    assert.ok(plainJsonCheck(['k'.repeat(64)], ['varchar']) instanceof PlainJsonCheck);
  });
});
