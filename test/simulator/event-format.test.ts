import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AUTHS, EventFormat, songFragments } from '../../src/simulator/event-format.ts';
import { pageCode } from '../../src/simulator/pages.ts';
import { anonymousWho, whoOf } from '../../src/simulator/who.ts';
import { requireDataset, sample } from '../support/datasets.ts';
import { CSV_HEADER, LOG_FIELDS, referenceCsvRow, referenceLogLine } from './reference-format.ts';
import { listFiles, simulateToTemp } from './simulated-dataset.ts';
import type { TempRun } from './simulated-dataset.ts';

// The CSVs were edited by hand or by Excel in these cells; no formatter can (or should) reproduce them.
const EDITED_IN_CSV = new Set(['Fuck Kitty', '+44', 'True', '1-2-8']);

test('renders every event of the course sample byte for byte, in both formats', async (t) => {
  if (!requireDataset(t, sample.logs) || !requireDataset(t, sample.events)) return;
  const format = new EventFormat(796); // every ts in the sample ends in 796
  const days = (await readdir(join(sample.logs, '2018', '11'))).sort();
  let lines = 0;
  let editedRows = 0;
  for (const day of days) {
    const jsonText = await readFile(join(sample.logs, '2018', '11', day), 'utf8');
    const csvText = await readFile(join(sample.events, day.replace('.json', '.csv')), 'utf8');
    const rows = csvText.split('\r\n').slice(1, -1);
    jsonText.split('\n').forEach((line, i) => {
      const e = JSON.parse(line);
      assert.equal(e.ts % 1000, 796);
      const who = e.userId === '' ? anonymousWho(796) : whoOf({ userId: e.userId, firstName: e.firstName, lastName: e.lastName, gender: e.gender, location: e.location, userAgent: e.userAgent, registrationMs: e.registration }, 796);
      const level = e.level === 'paid' ? 1 : 0;
      const second = Math.floor(e.ts / 1000);
      let json: string;
      let csv: string;
      if (e.page === 'NextSong') {
        assert.equal(e.auth, 'Logged In');
        const song = songFragments(e.artist, e.song, String(e.length));
        json = format.playJson(who, level, e.sessionId, e.itemInSession, second, song);
        csv = format.playCsv(who, level, e.sessionId, e.itemInSession, second, song);
      } else {
        json = format.pageJson(who, AUTHS.indexOf(e.auth), level, pageCode(e.page), e.sessionId, e.itemInSession, second);
        csv = format.pageCsv(who, AUTHS.indexOf(e.auth), level, pageCode(e.page), e.sessionId, e.itemInSession, second);
      }
      assert.equal(json, line);
      if (csv !== `${rows[i]}\r\n`) {
        assert.ok(EDITED_IN_CSV.has(e.song) || EDITED_IN_CSV.has(e.artist), `${day} row ${i + 1} differs: ${rows[i]}`);
        editedRows++;
      }
      lines++;
    });
  }
  assert.equal(lines, 8056);
  assert.equal(editedRows, 5);
});

let run: TempRun;
let files: string[];
before(async () => {
  run = await simulateToTemp({ users: 150, days: 6, songs: 300, seed: 2024 });
  files = await listFiles(run.dir);
});
after(() => run.remove());

test('log_data: JSON lines in the 18-field order, ASCII only, "\\n" between lines and none after the last', async () => {
  for (const file of files.filter((f) => f.startsWith('log_data/'))) {
    const text = await readFile(join(run.dir, file), 'utf8');
    assert.ok(!text.endsWith('\n') && !text.includes('\r'), file);
    for (const line of text.split('\n')) {
      const event = JSON.parse(line);
      assert.deepEqual(Object.keys(event), LOG_FIELDS);
      assert.match(line, /^[\x20-\x7e]+$/, 'non-ASCII characters are escaped');
      assert.doesNotMatch(line, /[^\\]\//, "every '/' is escaped as '\\/'");
      assert.equal(referenceLogLine(event), line);
    }
  }
});

test('log_data: types and null conventions by auth and page', async () => {
  const knownPages = new Map<string, [string, number]>();
  for (const file of files.filter((f) => f.startsWith('log_data/'))) {
    const text = await readFile(join(run.dir, file), 'utf8');
    for (const line of text.split('\n')) {
      const e = JSON.parse(line);
      assert.ok(['Logged In', 'Logged Out', 'Guest', 'Cancelled'].includes(e.auth), e.auth);
      assert.ok(['free', 'paid'].includes(e.level));
      assert.ok(Number.isInteger(e.itemInSession) && Number.isInteger(e.sessionId) && Number.isInteger(e.ts));
      assert.equal(typeof e.userId, 'string');
      if (e.auth === 'Logged Out' || e.auth === 'Guest') {
        for (const k of ['firstName', 'gender', 'lastName', 'location', 'registration', 'userAgent']) assert.equal(e[k], null, `${k} of ${line}`);
        assert.equal(e.userId, '');
      } else {
        assert.match(e.userId, /^[1-9]\d*$/);
        assert.ok(['F', 'M'].includes(e.gender));
        for (const k of ['firstName', 'lastName', 'location', 'userAgent']) assert.equal(typeof e[k], 'string');
        assert.match(line, /"registration":\d{13}\.0,/);
      }
      if (e.auth === 'Guest') assert.equal(e.level, 'free');
      const playing = e.page === 'NextSong';
      assert.equal(typeof e.artist, playing ? 'string' : 'object', line);
      assert.equal(typeof e.song, playing ? 'string' : 'object', line);
      assert.equal(typeof e.length, playing ? 'number' : 'object', line);
      if (playing) assert.equal(e.auth, 'Logged In');
      if (e.page === 'Login') assert.equal(e.auth, 'Logged Out');
      if (e.page === 'Logout') assert.equal(e.auth, 'Logged In');
      if (e.page === 'Cancellation Confirmation') assert.equal(e.auth, 'Cancelled');
      const seen = knownPages.get(e.page);
      if (seen === undefined) knownPages.set(e.page, [e.method, e.status]);
      else assert.deepEqual([e.method, e.status], seen, `${e.page} is logged with one method and status`);
    }
  }
  // As in the course sample: GET pages answer 200, redirecting PUTs 307, Error 404.
  const expected: Record<string, [string, number]> = {
    NextSong: ['PUT', 200], Home: ['GET', 200], Login: ['PUT', 307], Logout: ['PUT', 307], Settings: ['GET', 200],
    'Save Settings': ['PUT', 307], Upgrade: ['GET', 200], 'Submit Upgrade': ['PUT', 307], Downgrade: ['GET', 200],
    'Submit Downgrade': ['PUT', 307], Help: ['GET', 200], About: ['GET', 200], Error: ['GET', 404],
  };
  for (const [page, pair] of knownPages) if (expected[page]) assert.deepEqual(pair, expected[page], page);
  for (const page of ['NextSong', 'Home', 'Login', 'Logout']) assert.ok(knownPages.has(page), `no ${page} events`);
});

test('event_data: the same events as CSV rows, 17 columns, CRLF, Excel-mangled registration and ts', async () => {
  const days = files.filter((f) => f.startsWith('event_data/'));
  assert.equal(days.length, 6);
  let mangled = 0;
  for (const file of days) {
    const csv = await readFile(join(run.dir, file), 'utf8');
    const date = file.slice('event_data/'.length, 'event_data/'.length + 10);
    const json = await readFile(join(run.dir, 'log_data', date.slice(0, 4), date.slice(5, 7), `${date}-events.json`), 'utf8');
    const rows = csv.split('\r\n');
    assert.equal(rows.shift(), CSV_HEADER);
    assert.equal(rows.pop(), '', 'the last row ends with CRLF too');
    const events = json === '' ? [] : json.split('\n').map((l) => JSON.parse(l));
    assert.equal(rows.length, events.length);
    events.forEach((e, i) => {
      assert.equal(`${rows[i]}\r\n`, referenceCsvRow(e));
      if (e.registration !== null) mangled++;
    });
    assert.match(rows[0] ?? '', /,\d\.\d{1,5}E\+12,\d+,/, 'registration and ts look like 1.54092E+12');
  }
  assert.ok(mangled > 100);
});
