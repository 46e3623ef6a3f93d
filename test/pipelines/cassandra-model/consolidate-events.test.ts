import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { consolidateEvents } from '../../../src/pipelines/cassandra-model/consolidate-events.ts';
import { listFiles } from '../../../src/datasets/list-files.ts';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import { parseCsv, plays, readRawEvents } from '../../support/course-events.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { event, fixtureDir, writeEventCsv } from './event-fixtures.ts';

const columns = ['artist', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location', 'sessionId', 'song', 'userId'];

test('event_datafile_new.csv from the sample: the rows with an artist, the 11 course columns, values as in the raw files', async (t) => {
  if (!requireDataset(t, sample.events)) return;
  const dir = await fixtureDir(t);
  const out = join(dir, 'event_datafile_new.csv');
  const result = await consolidateEvents({ kind: 'events', root: sample.events, files: await listFiles(sample.events, '.csv') }, out, new MemoryQuarantine());
  assert.equal(result.rows, 6820);
  const text = await readFile(out, 'utf8');
  const [header, ...rows] = parseCsv(text).filter((r) => !(r.length === 1 && r[0] === ''));
  assert.deepEqual(header, columns);
  const expected = plays(readRawEvents(sample.events)).map((e) => columns.map((c) => e[c]));
  assert.equal(rows.length, 6820);
  assert.deepEqual(rows, expected);
  // Every cell quoted, as the course's csv.QUOTE_ALL writer does.
  assert.match(text.split('\r\n')[1] ?? '', /^"[^"]*"(,"[^"]*")*$/);
});

test('from the JSON logs: the same plays, in the same order (the CSV is an Excel export of these logs)', async (t) => {
  if (!requireDataset(t, sample.logs)) return;
  const dir = await fixtureDir(t);
  const fromLogs = await consolidateEvents({ kind: 'logs', root: sample.logs, files: await listFiles(sample.logs, '.json') },
    join(dir, 'logs.csv'), new MemoryQuarantine());
  const fromCsv = await consolidateEvents({ kind: 'events', root: sample.events, files: await listFiles(sample.events, '.csv') },
    join(dir, 'events.csv'), new MemoryQuarantine());
  assert.equal(fromLogs.rows, fromCsv.rows);
  const key = (r: string[]) => `${r[10]}/${r[8]}/${r[3]}`;
  const a = parseCsv(await readFile(join(dir, 'logs.csv'), 'utf8')).slice(1).filter((r) => r.length > 1);
  const b = parseCsv(await readFile(join(dir, 'events.csv'), 'utf8')).slice(1).filter((r) => r.length > 1);
  assert.deepEqual(a.map(key), b.map(key));
  // Excel rewrote a few cells of the CSV ("+44" became 44, "True" TRUE, "1-2-8" a date); nothing else differs.
  const differing = a.flatMap((row, i) => row.map((v, j) => [v, b[i]?.[j]]).filter(([x, y]) => x !== y));
  assert.ok(differing.length <= 5, JSON.stringify(differing));
  assert.deepEqual(differing.find(([x]) => x === '+44'), ['+44', '44']);
});

test('bad rows are quarantined with file:line and reason; nothing half-written is left behind on failure', async (t) => {
  const dir = await fixtureDir(t);
  const file = await writeEventCsv(dir, 'a.csv', [event(), event({ artist: null, itemInSession: 2 }), 'not,a,row', event({ itemInSession: 4, firstName: null })]);
  const quarantine = new MemoryQuarantine();
  const out = join(dir, 'out.csv');
  const result = await consolidateEvents({ kind: 'events', root: dir, files: [file] }, out, quarantine);
  assert.equal(result.rows, 2);
  assert.deepEqual(quarantine.records.map((r) => [r.file, r.line, r.field, r.reason]).sort(),
    [[file, 3, 'artist', 'NextSong event without an artist'], [file, 4, '', 'expected 17 columns, got 3']]);
  const lines = (await readFile(out, 'utf8')).split('\r\n');
  // A null is an empty, unquoted cell.
  assert.equal(lines[2], '"Des\'ree",,"F","4","Summers","246.30812","free","Phoenix-Mesa-Scottsdale, AZ","139","You Gotta Be","8"');
  await assert.rejects(consolidateEvents({ kind: 'events', root: dir, files: [join(dir, 'missing.csv')] }, join(dir, 'never.csv'), quarantine),
    /SPK_E_INPUT_UNREADABLE/);
  assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith('never')), []);
});
