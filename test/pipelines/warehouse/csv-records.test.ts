import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { csvLine } from '../../../src/core/csv-text.ts';
import { copyBatches } from '../../../src/pipelines/warehouse/copy/copy-records.ts';
import { CsvRecordConverter } from '../../../src/pipelines/warehouse/copy/csv-records.ts';
import { extractorFor, type JsonFormat } from '../../../src/pipelines/warehouse/copy/json-format.ts';
import type { LoadError } from '../../../src/pipelines/warehouse/copy/load-error.ts';
import { RecordBytes } from '../../../src/fastpath/warehouse/record-bytes.ts';
import { stagingEvents, stagingSongs, type StagingTable } from '../../../src/pipelines/warehouse/staging-tables.ts';
import { collect } from '../../support/collect.ts';
import { damagedLines } from '../../support/damaged-lines.ts';
import { requireDataset, sample } from '../../support/datasets.ts';

interface Copy { table: StagingTable; format: JsonFormat; jsonPaths?: string }
interface Outcome { csv: Buffer; rows: number; errors: LoadError[]; repaired: number }

const chunked = (bytes: Buffer, size: number) => (async function* () {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
})();

/** The reference: copyBatches (JSON.parse and copyCell per record), its rows encoded by csvLine. */
async function reference(bytes: Buffer, copy: Copy): Promise<Outcome> {
  const batches = await collect(copyBatches(chunked(bytes, 1 << 16), 'f.json', copy.table, extractorFor(copy.format, copy.table.columns, copy.jsonPaths)));
  const rows = batches.flatMap((b) => b.rows);
  return { csv: Buffer.from(rows.map((r) => csvLine(r)).join('')), rows: rows.length, errors: batches.flatMap((b) => b.errors), repaired: batches.reduce((n, b) => n + b.repaired, 0) };
}

/** The byte path in chunks of `size`; `taken` counts the rows RecordBytes wrote. */
function bytePath(bytes: Buffer, copy: Copy, size: number): Outcome & { taken: number } {
  const fast = RecordBytes.for(copy.table.columns, copy.format, copy.jsonPaths);
  assert.ok(fast, 'the format has a byte path');
  let taken = 0;
  const counting = new Proxy(fast, {
    get: (target, key) => (key === 'row' ? (...args: Parameters<RecordBytes['row']>) => {
      const took = target.row(...args);
      if (took) taken++;
      return took;
    } : Reflect.get(target, key)),
  });
  const converter = new CsvRecordConverter('f.json', copy.table, extractorFor(copy.format, copy.table.columns, copy.jsonPaths), counting);
  const parts: Uint8Array[] = [];
  let rows = 0;
  let repaired = 0;
  const errors: LoadError[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    const b = converter.push(bytes.subarray(i, i + size));
    parts.push(b.csv);
    rows += b.rows;
    repaired += b.repaired;
    errors.push(...b.errors);
  }
  const last = converter.end();
  parts.push(last.csv);
  return { csv: Buffer.concat(parts), rows: rows + last.rows, errors: [...errors, ...last.errors], repaired: repaired + last.repaired, taken };
}

/** Both paths on `text` at several chunk sizes: the same CSV bytes, counts and rejects. Returns the rows taken by bytes. */
async function sameAsReference(text: string | Buffer, copy: Copy, sizes = [1, 7, 100, 4096, 1 << 20]): Promise<number> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const want = await reference(bytes, copy);
  let taken = -1;
  for (const size of sizes) {
    const got = bytePath(bytes, copy, size);
    assert.equal(got.rows, want.rows, `rows, chunks of ${size}`);
    assert.deepEqual(got.errors, want.errors, `rejects, chunks of ${size}`);
    assert.equal(got.repaired, want.repaired, `repaired, chunks of ${size}`);
    assert.ok(got.csv.equals(want.csv), `CSV bytes, chunks of ${size}:\n${got.csv.toString().slice(0, 600)}\n---\n${want.csv.toString().slice(0, 600)}`);
    taken = Math.max(taken, got.taken);
  }
  return taken;
}

const jsonPathsText = JSON.stringify({ jsonpaths: stagingEvents.columns.map((c) => `$['${{ firstname: 'firstName', iteminsession: 'itemInSession', lastname: 'lastName', sessionid: 'sessionId', useragent: 'userAgent', userid: 'userId' }[c.name] ?? c.name}']`) });
const events: Copy = { table: stagingEvents, format: { mode: 'jsonpaths', url: 'paths.json' }, jsonPaths: jsonPathsText };
const songs: Copy = { table: stagingSongs, format: { mode: 'auto' } };

const event = '{"artist":"Muse","auth":"Logged In","firstName":"Lily","gender":"F","itemInSession":3,"lastName":"Koch","length":209.2273,"level":"paid","location":"Chicago-Naperville-Elgin, IL-IN-WI","method":"PUT","page":"NextSong","registration":1541048010796.0,"sessionId":818,"song":"Uprising","status":200,"ts":1542837407796,"userAgent":"\\"Mozilla\\/5.0 (X11; Linux x86_64)\\"","userId":"15"}';
const set = (field: string, json: string) => event.replace(new RegExp(`"${field}":("(?:[^"\\\\]|\\\\.)*"|[^,}]*)`), `"${field}":${json}`);

test("the sample's logs and songs: nearly every record goes the byte way, with the reference's bytes at any chunk size", async (t) => {
  if (!requireDataset(t, sample.logs) || !requireDataset(t, sample.songs)) return;
  const dir = join(sample.logs, '2018', '11');
  const logs = Buffer.concat(await Promise.all((await readdir(dir)).sort().slice(0, 6).map((f) => readFile(join(dir, f)))));
  const paths = await readFile(sample.jsonPaths, 'utf8');
  const lines = logs.toString().split('\n').filter(Boolean).length;
  const taken = await sameAsReference(logs, { ...events, jsonPaths: paths }, [1, 333, 1 << 17, 1 << 24]);
  assert.ok(taken > lines * 0.95, `${taken} of ${lines} lines taken by the byte path`);
  const songFiles = (await readdir(sample.songs, { recursive: true })).filter((f) => f.endsWith('.json')).sort();
  const songText = await Promise.all(songFiles.map((f) => readFile(join(sample.songs, f), 'utf8')));
  let songsTaken = 0;
  for (const text of songText) songsTaken += await sameAsReference(text, songs, [5, 1 << 16]);
  assert.ok(songsTaken > songFiles.length * 0.9, `${songsTaken} of ${songFiles.length} song files taken`);
});

test("values at the edges of COPY's rules: taken exactly as the reference converts them, or left to it", async () => {
  const variants = [
    event, set('length', '1.50'), set('length', '1e5'), set('length', '-0'), set('length', '-0.0'), set('length', '1E400'), set('length', '0.1'),
    set('length', '123456789012345678'), set('length', '0.000001'), set('length', '0.0000001'), set('length', '-0.000001'), set('length', '100.000'), set('length', '1.10'), set('length', '-1.0'), set('length', '0.0'), set('length', '123456789012345.0'), set('length', '12345678901234.56'), set('length', '1234567890123456.0'), set('length', '99999999999999.99'), set('registration', '1541048010796.0'), set('registration', '1541048010796.25'), set('length', '"2.5"'), set('length', '""'), set('length', '"  "'), set('length', 'true'), set('length', '"x"'),
    set('itemInSession', '3.0'), set('itemInSession', '3.5'), set('itemInSession', '-0'), set('itemInSession', '2147483648'), set('itemInSession', '-2147483648'),
    set('itemInSession', '1e2'), set('itemInSession', '"7"'), set('itemInSession', '"007"'), set('itemInSession', '"-0"'), set('itemInSession', '"+5"'),
    set('itemInSession', '" 5"'), set('itemInSession', '"-"'), set('itemInSession', '"1234567890123456"'), set('itemInSession', 'null'), set('itemInSession', 'false'),
    set('itemInSession', '01'), set('itemInSession', '-'), set('itemInSession', '1.'), set('itemInSession', '.5'), set('itemInSession', '1e'),
    set('userId', '""'), set('userId', '15'), set('userId', '"\\u0031"'), set('ts', '"1542837407796"'), set('ts', '1542837407796.0'), set('ts', '1542837407796.5'),
    set('ts', '-62135596800000'), set('ts', '-62135596800001'), set('ts', '253402300799999'), set('ts', '253402300800000'), set('ts', '0'), set('ts', '1e12'),
    set('artist', '12.50'), set('artist', '1e21'), set('artist', '-0'), set('artist', 'true'), set('artist', 'false'), set('artist', 'null'), set('artist', '{"a":1}'),
    set('artist', '[1,2]'), set('artist', '"A \\"quoted\\" name"'), set('artist', '"tab\\there, line\\nbreak\\r\\b\\f\\\\ \\/"'), set('artist', '"\\u00e9\\u4e2d\\ud83d\\ude00"'),
    set('artist', '"lone \\ud83d"'), set('artist', '"lone \\ude00"'), set('artist', '"nul \\u0000"'), set('artist', '"bad \\x"'), set('artist', '"bad \\u12"'),
    set('artist', '"raw é"'), set('artist', '"raw \u0007"'), set('artist', '"""'), set('artist', '"a""b"'), set('artist', '"comma, and \\"quote\\""'),
    event.replace('{"artist"', '{ "artist"').replace(',"auth"', ' , "auth"'), event.replace(':"Muse"', ' :  "Muse"'), event.replace(',"auth"', ',\t"auth"'),
    `${event}   `, `${event}\r`, `${event}\t`, ` ${event}`, `\t${event}`, `${event}{}`, `${event} ${event}`, `${event},`, event.slice(0, -1), `${event}}`, `[${event}]`,
    '{}', '{ }', '{', '}', '', '   ', 'garbage', 'null', '"text"', '42',
    event.replace('"Lily"', '"Lily","extra":{"nested":[1,{"x":"y"}]}'), event.replace('"Lily"', '"Lily","extra":"\\x"'), event.replace('"Lily"', '"Lily","extra":"\\u00e9"'),
    event.replace('"Lily"', '"Lily","extra":1.5e3,"more":null,"again":true'), event.replace('"Lily"', '"Lily","firstName":"Twice"'), event.replace('"Lily"', '"Lily","artist":"Again"'),
    event.replace('"firstName"', '"firstname"'), event.replace('"firstName"', '"first\\u004eame"'), event.replace('"firstName"', '"firstNamé"'), event.replace('"firstName":"Lily",', ''),
    event.replace('"artist":"Muse",', '').replace('"userId":"15"', '"userId":"15","artist":"Muse"'), set('artist', `"${'x'.repeat(70_000)}"`), set('song', `"${'y'.repeat(65_400)}"`),
  ];
  // One record per line (each variant alone), then all of them in one object stream with CRLF, blank lines, a BOM
  // and no final newline.
  const takenAlone = [];
  for (const v of variants) takenAlone.push(await sameAsReference(`${v}\n`, events, v.length > 1000 ? [64, 1 << 20] : [1, 64, 1 << 20]));
  assert.ok(takenAlone.filter((n) => n === 1).length > 40, 'many variants are taken');
  assert.ok(takenAlone.filter((n) => n === 0).length > 30, 'and many are left to the reference');
  await sameAsReference(`\ufeff${variants.join('\r\n')}\n\n${JSON.stringify(JSON.parse(event), null, 2)}\n${event}`, events, [7, 100, 4096, 1 << 20]);
  await sameAsReference(variants.join('\n'), { ...events, format: { mode: 'auto' } }, [3, 1 << 20]);
  await sameAsReference(variants.join('\n'), { ...events, format: { mode: 'auto ignorecase' } }, [3, 1 << 20]);
});

test('repairs: the byte path declines a BOM and lone surrogates, and the reference stores and counts them as it alone does', async () => {
  const lone = [set('artist', '"Bj\\ud800rk"'), set('song', '"x\\udfff"').replace('"Lily"', '"\\ud83d"'), set('artist', '"lone \\ude00 at the end"')];
  const clean = [event, set('artist', '"\\ud83d\\ude00"'), event.replace('"Lily"', '"Lily","note":"\\ud800"')];
  const text = `\ufeff${clean[0]}\r\n${[...lone, ...clean].join('\r\n')}\n${event}`;
  const want = await reference(Buffer.from(text), events);
  assert.equal(want.rows, 8);
  assert.equal(want.repaired, 4, 'the BOM\'s record and the three with lone surrogates');
  assert.match(want.csv.toString(), /"Bj\ufffdrk",/);
  await sameAsReference(text, events, [1, 5, 100, 1 << 20]);
  // The BOM alone, on a record the byte path would otherwise take.
  assert.equal((await reference(Buffer.from(`\ufeff${event}\n${event}\n`), events)).repaired, 1);
  await sameAsReference(`\ufeff${event}\n${event}\n`, events, [1, 2, 3, 4, 1 << 20]);
});

test('random damage to real lines: whatever the byte path takes, it takes exactly as the reference does', async () => {
  const lines = [event, set('artist', 'null'), set('userId', '""'), set('length', '99.12345'), set('ts', '1541105830796')];
  const damaged = damagedLines(lines, 20_000, '{}[]":,\\/.-+eE0123456789 \t\r\nnultrufase\u00e9u', 11);
  const taken = await sameAsReference(damaged.join('\n'), events, [97, 1 << 16, 1 << 24]);
  // A damaged line can open an object that swallows the lines after it (as the reference reads them), so fewer are taken.
  assert.ok(taken > 1000 && taken < damaged.length, `${taken} of ${damaged.length} damaged lines taken`);
});

test('formats the byte path cannot follow have none: nested paths, a key named twice, prototype names', () => {
  const paths = (list: string[]) => JSON.stringify({ jsonpaths: list });
  const columns = stagingSongs.columns;
  const keys = columns.map((c) => `$['${c.name}']`);
  assert.ok(RecordBytes.for(columns, { mode: 'jsonpaths', url: 'p' }, paths(keys)));
  assert.equal(RecordBytes.for(columns, { mode: 'jsonpaths', url: 'p' }, paths([...keys.slice(0, -1), '$.a.b'])), undefined);
  assert.equal(RecordBytes.for(columns, { mode: 'jsonpaths', url: 'p' }, paths([...keys.slice(0, -1), '$.a[0]'])), undefined);
  assert.equal(RecordBytes.for(columns, { mode: 'jsonpaths', url: 'p' }, paths([...keys.slice(0, -1), keys[0] as string])), undefined);
  assert.equal(RecordBytes.for(columns, { mode: 'jsonpaths', url: 'p' }, paths([...keys.slice(0, -1), "$['constructor']"])), undefined);
  assert.equal(RecordBytes.for(columns, { mode: 'jsonpaths', url: 'p' }, paths([...keys.slice(0, -1), "$['__proto__']"])), undefined);
  assert.equal(RecordBytes.for(columns, { mode: 'jsonpaths', url: 'p' }, 'not json'), undefined);
  assert.ok(RecordBytes.for(columns, { mode: 'auto ignorecase' }));
});
