import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import { lineEvent } from '../../../src/datasets/read-log-events.ts';
import { emptyCounts, type SourceCounts } from '../../../src/datasets/source-counts.ts';
import { LatestUsers } from '../../../src/pipelines/star-load/latest-users.ts';
import { wasmFile } from '../../../src/fastpath/wasm-modules.ts';
import { logEventFields } from '../../../src/datasets/schemas.ts';
import { binaryPlay, ByteOut } from '../../../src/pipelines/star-load/binary-rows.ts';
import { PlayBytes } from '../../../src/fastpath/star-load/play-bytes.ts';
import { WasmPlayRows } from '../../../src/fastpath/star-load/play-rows-wasm.ts';
import { latestTs } from '../../../src/pipelines/star-load/staging-rules.ts';
import { SongCatalog, type CatalogRow } from '../../../src/pipelines/star-load/song-catalog.ts';
import { playCells } from '../../../src/pipelines/star-load/staging-rules.ts';
import { songplayRowsAsCsv } from '../../support/binary-copy.ts';
import { damagedLines } from '../../support/damaged-lines.ts';
import { requireDataset, sample } from '../../support/datasets.ts';

const catalogRows: CatalogRow[] = [
  { title: 'Uprising', artist_name: 'Muse', duration: 304.97914, song_id: 'SO1', artist_id: 'AR1' },
  { title: 'Caf"é \\ /x 😀', artist_name: 'Björk', duration: 200.5, song_id: 'SO"2', artist_id: 'ARé' },
  { title: 'Silence', artist_name: 'Nobody', duration: 0, song_id: 'SO3', artist_id: 'AR3' },
  // 17 significant digits: parsed from text, not by the exact short-decimal division.
  { title: 'Long', artist_name: 'Digits', duration: 0.1 + 0.2, song_id: 'SO4', artist_id: 'AR4' },
  { title: 'Tiny', artist_name: 'Digits', duration: 0.000001234, song_id: 'SO5', artist_id: 'AR5' },
];

type Scan = 'wasm' | 'js';
/** Both scans: on WebAssembly (which `npm ci` builds; missing, a failure under CI) and the JavaScript reference. */
const scans: Scan[] = ['wasm', 'js'];

test('the WebAssembly scan is built (npm ci, npm test), or the JavaScript one stands in for it loudly', (t) => {
  if (WasmPlayRows.create(logEventFields, [], latestTs) !== undefined) return;
  const message = `the WebAssembly scan is not built: ${wasmFile('play-rows')} (node scripts/build-wasm.ts); PlayBytes scans in JavaScript`;
  if (process.env.CI === 'true') assert.fail(message);
  process.stderr.write(`\n*** SKIPPED: ${message} ***\n`);
  t.skip(message);
});

interface Outcome {
  csv: Buffer;
  counts: SourceCounts;
  rejects: number;
  users: unknown;
}

/** What the reference path (JSON.parse, validateObject, playCells, csvLine, UTF-8) makes of one line. */
function reference(line: string, catalog: SongCatalog): Outcome {
  const counts = emptyCounts('logs');
  const quarantine = new MemoryQuarantine();
  const users = new LatestUsers();
  const event = lineEvent({ kind: 'line', line: 1, text: line, repairs: [] }, 'f', quarantine, counts);
  const cells = event === undefined ? undefined : playCells(catalog, users, counts, quarantine)(event);
  const out = new ByteOut(new ArrayBuffer(16));
  if (event !== undefined && cells !== undefined) binaryPlay(cells, event.record.ts, out);
  return { csv: Buffer.from(out.buffer.subarray(0, out.length)), counts, rejects: quarantine.records.length, users: users.columns() };
}

/** What PlayBytes makes of it, or undefined when it declines (having then changed nothing: checked here). */
function fast(line: string, catalog: SongCatalog, scan: Scan): Outcome | undefined {
  const counts = emptyCounts('logs');
  const users = new LatestUsers();
  const plays = new PlayBytes(catalog, users, counts, undefined, undefined, scan);
  // The line amid other bytes, as in a chunk: PlayBytes must stay within [s, e).
  const bytes = Buffer.concat([Buffer.from('{"x":1}\n'), Buffer.from(line), Buffer.from('\n"}],')]);
  const out = new ByteOut(new ArrayBuffer(16));
  const accepted = plays.line(bytes, 8, bytes.length - 5, out);
  const outcome = { csv: Buffer.from(out.buffer.subarray(0, out.length)), counts, rejects: 0, users: users.columns() };
  if (accepted) return outcome;
  assert.deepEqual(outcome, { csv: Buffer.alloc(0), counts: emptyCounts('logs'), rejects: 0, users: new LatestUsers().columns() }, `declined but changed something: ${line}`);
  return undefined;
}

/** Every line PlayBytes takes gives exactly the reference's output; returns how many it took. */
function sameAsReference(lines: readonly string[], scan: Scan, catalog = new SongCatalog(catalogRows)): number {
  let taken = 0;
  for (const line of lines) {
    const mine = fast(line, catalog, scan);
    if (mine === undefined) continue;
    taken++;
    const theirs = reference(line, catalog);
    assert.equal(mine.csv.toString('hex'), theirs.csv.toString('hex'), `row of ${line}\n${songplayRowsAsCsv(mine.csv)}\n${songplayRowsAsCsv(theirs.csv)}`);
    assert.deepEqual(mine, theirs, line);
  }
  return taken;
}

const base = {
  artist: 'Muse', auth: 'Logged In', firstName: 'Lily', gender: 'F', itemInSession: 3, lastName: 'Koch', length: 304.97914,
  level: 'paid', location: 'Chicago-Naperville-Elgin, IL-IN-WI', method: 'PUT', page: 'NextSong', registration: 1540161000000.0,
  sessionId: 818, song: 'Uprising', status: 200, ts: 1541106106796,
  userAgent: '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  userId: '15',
};
const line = (changes: Record<string, unknown>) => JSON.stringify({ ...base, ...changes });
/** The way the course's files escape: Python's json.dumps (ASCII only, \/ for /). */
const pythonStyle = (text: string) => text.replaceAll('/', '\\/').replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

for (const scan of scans) {
test(`plain plays, escaped text and other pages: taken, and written exactly as the reference path writes them (${scan} scan)`, () => {
  const lines = [
    line({}),
    pythonStyle(line({})),
    line({ page: 'Home', song: null, artist: null, length: null }),
    line({ page: 'Logout', userId: '', firstName: null, lastName: null, gender: null, registration: null }),
    pythonStyle(line({ song: 'Caf"é \\ /x 😀', artist: 'Björk', length: 200.5 })),
    line({ song: 'Caf"é \\ /x 😀', artist: 'Björk', length: 200.5 }), // raw UTF-8: declined, still checked if taken
    line({ location: 'Say "hi", /then\\ go', userAgent: null }),
    pythonStyle(line({ location: 'Zürich "Ü" 😀', firstName: 'Zoë' })),
    // Lone surrogates: the reference path stores U+FFFD and counts a repair, so the line is declined (see below).
    pythonStyle(line({ location: 'Zu\ud800rich \udc00 x\ud83d', userAgent: 'a\ud83d\ude00b\udbff', level: '\udfff' })),
    // Whole pairs, lower- and upper-case, in text that is written and in text that is looked up.
    pythonStyle(line({ location: 'a\ud83d\ude00b\udbff\udfff', userAgent: '\ud800\udc00' })).replace('\\ud800\\udc00', '\\uD800\\uDC00'),
    line({ song: 'Silence', artist: 'Nobody', length: 0 }),
    line({ song: 'Long', artist: 'Digits', length: 0.1 + 0.2 }),
    line({ song: 'Tiny', artist: 'Digits', length: 0.000001234 }),
    line({ level: 'free', userId: '999999999', sessionId: 2147483647, itemInSession: 0 }),
    line({ ts: 0 }),
    line({ ts: 253402300799999 }),
  ];
  assert.equal(sameAsReference(lines, scan), lines.length - 2, 'all but the raw UTF-8 and the lone surrogates are taken');
});

test(`a lone surrogate in any text is declined, for the reference path to store U+FFFD and count the repair (${scan} scan)`, () => {
  const catalog = new SongCatalog(catalogRows);
  const lone = ['\ud800', '\udbff', '\udc00', '\udfff', 'a\ud83d', '\ude00a', '\ud83d\ud83d', '\ude00\ud83d', '\ud83d/', '\ud83d\\'];
  for (const name of ['artist', 'auth', 'firstName', 'gender', 'lastName', 'level', 'location', 'method', 'song', 'userAgent']) {
    for (const text of lone) {
      const escaped = pythonStyle(line({ [name]: `x${text}y` }));
      assert.equal(fast(escaped, catalog, scan), undefined, escaped);
      // Upper-case hex digits too.
      assert.equal(fast(escaped.replace(/\\u(d[89a-f])/g, (_, h: string) => `\\u${h.toUpperCase()}`), catalog, scan), undefined, escaped);
    }
  }
  // A high surrogate at the end of the line's last value: nothing after it to pair with.
  const { userAgent, ...rest } = base;
  const last = pythonStyle(JSON.stringify({ ...rest, userAgent: `${userAgent}\ud83d` }));
  assert.equal(fast(last, catalog, scan), undefined, last);
  assert.notEqual(fast(pythonStyle(JSON.stringify({ ...rest, userAgent: `${userAgent}\ud83d\ude00` })), catalog, scan), undefined);
  // A whole pair is taken, and written as the reference writes it.
  const pairs = ['location', 'userAgent', 'firstName', 'lastName', 'song', 'artist'].map((name) => pythonStyle(line({ [name]: 'x\ud83d\ude00y' })));
  assert.equal(sameAsReference(pairs, scan), pairs.length);
});

test(`one artist id under several spellings: a play matches the song whose own record spells it as the play does (${scan} scan)`, () => {
  // 05-catalog.sql's rows: each song with its own record's artist name, whatever name `artists` kept for ARB.
  const catalog = new SongCatalog([
    { title: 'Stage Fright', artist_name: 'Band, The', duration: 220.25, song_id: 'SO2', artist_id: 'ARB' },
    { title: 'The Weight', artist_name: 'The Band', duration: 275.5, song_id: 'SO1', artist_id: 'ARB' },
    { title: 'Ophelia', artist_name: 'Band The', duration: 200.5, song_id: 'SO3', artist_id: 'ARB' },
    { title: 'Ophelia', artist_name: 'Bänd', duration: 200.5, song_id: 'SO4', artist_id: 'ARB' },
  ]);
  const plays: [string, string, number, string][] = [
    ['Stage Fright', 'Band, The', 220.25, '"SO2"'], ['The Weight', 'The Band', 275.5, '"SO1"'], ['Ophelia', 'Band The', 200.5, '"SO3"'],
    ['Ophelia', 'Bänd', 200.5, '"SO4"'], ['Stage Fright', 'The Band', 220.25, ''], ['Ophelia', 'The Band', 200.5, ''],
  ];
  const lines = plays.map(([song, artist, length]) => pythonStyle(line({ song, artist, length })));
  assert.equal(sameAsReference(lines, scan, catalog), lines.length);
  const songIds = lines.map((l) => songplayRowsAsCsv((fast(l, catalog, scan) as Outcome).csv).split(',')[4]);
  assert.deepEqual(songIds, plays.map((p) => p[3]));
});

test(`everything else is declined, or taken only with the same outcome (${scan} scan)`, () => {
  const text = line({});
  const variants = [
    // JSON the fast path does not read: whitespace, other escapes, signs, exponents, fractions in integers, other keys.
    text.replace('{', '{ '), text.replace(':', ' :'), `${text} `, text.replace('"Koch"', '"Ko\\nch"'),
    text.replace('"Koch"', '"Ko\\tch"'), text.replace('"Koch"', '"Ko\\u0000ch"'), text.replace('"Koch"', '"Ko\\u00"'),
    text.replace('"sessionId":818', '"sessionId":-818'), text.replace('"sessionId":818', '"sessionId":818.0'),
    text.replace('"sessionId":818', '"sessionId":8.18e2'), text.replace('"sessionId":818', '"sessionId":0818'),
    text.replace('"sessionId":818', '"sessionId":2147483648'), text.replace('"sessionId":818', '"sessionId":"818"'),
    text.replace('"ts":1541106106796', '"ts":1541106106796.5'), text.replace('"ts":1541106106796', '"ts":9007199254740993'),
    text.replace('"ts":1541106106796', '"ts":253402300800000'), text.replace('"length":304.97914', '"length":1e400'),
    text.replace('"length":304.97914', `"length":1${'0'.repeat(400)}`), text.replace('"length":304.97914', '"length":-0'),
    text.replace('"length":304.97914', '"length":"304.97914"'), text.replace('"length":304.97914', '"length":true'),
    text.replace('"level":"paid"', '"level":null'), text.replace('"level":"paid"', '"level":7'),
    text.replace('"artist":"Muse"', '"artist":112'), text.replace('"artist":"Muse"', '"artist":null'),
    text.replace('"song":"Uprising"', '"song":null'), text.replace('"userId":"15"', '"userId":""'),
    text.replace('"userId":"15"', '"userId":"015"'), text.replace('"userId":"15"', '"userId":"1234567890"'),
    text.replace('"userId":"15"', '"userId":"1\\u0035"'), text.replace('"page":"NextSong"', '"page":"Next\\u0053ong"'),
    text.replace('"page":"NextSong"', '"page":"NextSong "'), text.replace('"auth":"Logged In"', '"auth":null'),
    text.replace('"auth":"Logged In",', ''), text.replace('"auth":"Logged In",', '"auth":"Logged In","auth":"Guest",'),
    text.replace('"auth":"Logged In",', '"auth":"Logged In","extra":1,'), text.replace('"auth"', '"au\\u0074h"'),
    text.replace('"song":"Uprising"', '"song":"Up\\ud800rising"'), text.replace('"song":"Uprising"', '"song":"\\udc00"'),
    text.replace('"song":"Uprising"', '"song":"\\ud83d\\ude00"'), text.replace('"song":"Uprising"', '"song":"\\uD83D\\uDE00"'),
    text.replace('"location":"Chicago', '"location":"Chi\\u0022cago'), text.slice(0, -1), `${text}}`, `[${text}]`, '{}', '{',
    text.replace('"Koch"', '"Ko\u0007ch"'), text.replace('"Koch"', '"Ko\u007fch"'), text.replace('"Koch"', '"Koché"'),
  ];
  // Each declined variant is one the reference quarantines, repairs or reads in a way the fast path does not claim.
  assert.ok(sameAsReference(variants, scan) < variants.length / 2);
});

test(`random damage to real lines: whatever the fast path takes, it takes exactly as the reference does (${scan} scan)`, async (t) => {
  if (!requireDataset(t, sample.logs)) return;
  const dir = join(sample.logs, '2018', '11');
  const lines = (await Promise.all((await readdir(dir)).sort().map((f) => readFile(join(dir, f), 'utf8')))).flatMap((text) => text.split('\n').filter(Boolean));
  // The course sample as it is: nearly every line is taken (the rest carry non-ASCII bytes).
  const taken = sameAsReference(lines, scan);
  assert.ok(taken > lines.length * 0.9, `${taken} of ${lines.length} taken`);
  const damaged = damagedLines(lines, 20_000, '{}[]":,\\/.-+eE0123456789 nultrufase\u00e9u', 7);
  const takenDamaged = sameAsReference(damaged, scan);
  assert.ok(takenDamaged > 1000 && takenDamaged < damaged.length, `${takenDamaged} of ${damaged.length} damaged lines taken`);
});
}

test('the two scans take the same damaged lines, noting the same positions', async (t) => {
  if (!requireDataset(t, sample.logs) || WasmPlayRows.create(logEventFields, [], latestTs) === undefined) return;
  const dir = join(sample.logs, '2018', '11');
  const lines = (await Promise.all((await readdir(dir)).sort().map((f) => readFile(join(dir, f), 'utf8')))).flatMap((text) => text.split('\n').filter(Boolean));
  const damaged = damagedLines(lines, 20_000, '{}[]":,\\/.-+eE0123456789 nultrufase\u00e9u\u0000\u007f', 11);
  const catalog = new SongCatalog(catalogRows);
  const runs = scans.map((scan) => {
    const plays = new PlayBytes(catalog, new LatestUsers(), emptyCounts('logs'), undefined, undefined, scan);
    return damaged.map((text) => {
      const out = new ByteOut(new ArrayBuffer(16));
      return plays.line(Buffer.from(text), 0, Buffer.byteLength(text), out) ? Buffer.from(out.buffer.subarray(0, out.length)).toString('hex') : undefined;
    });
  });
  const [wasm, js] = runs as [(string | undefined)[], (string | undefined)[]];
  for (const [i, text] of damaged.entries()) assert.equal(wasm[i], js[i], text);
  assert.ok(js.filter((r) => r !== undefined).length > 1000);
});

test('a line whose row outgrows the buffer moves to a bigger one, keeping what was written', () => {
  const catalog = new SongCatalog(catalogRows);
  const plays = new PlayBytes(catalog, new LatestUsers(), emptyCounts('logs'));
  const out = new ByteOut(new ArrayBuffer(8));
  const text = Buffer.from(line({ location: 'x'.repeat(5000) }));
  for (let k = 0; k < 3; k++) assert.ok(plays.line(text, 0, text.length, out));
  const one = reference(text.toString(), catalog).csv;
  assert.equal(Buffer.from(out.buffer.subarray(0, out.length)).toString('hex'), one.toString('hex').repeat(3));
});

test('binaryPlay makes room for the whole row, however its text grows the buffer', () => {
  // 40 three-byte characters grow a 64-byte buffer to 128 with 2 bytes to spare after the id: the timestamp and the
  // int4 fields after it must still fit.
  const id = '€'.repeat(40);
  const out = new ByteOut(new ArrayBuffer(64));
  binaryPlay([id, 'ignored', 15, 'paid', null, 'ARé', 818, null, 'ua'], Date.UTC(2018, 10, 1, 21, 1, 46, 796), out);
  assert.equal(songplayRowsAsCsv(out.buffer.subarray(0, out.length)), `"${id}","2018-11-01T21:01:46.796",15,"paid",,"ARé",818,,"ua"\n`);
});
