import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeColumns, timeParts, TimeRows, TimeSpool } from '../../../src/pipelines/star-load/time-rows.ts';
import { engineKinds, freshEngine } from '../../support/engines.ts';

const day = 86_400_000;

/** Instants date_part must agree on: every day around each year's end over four centuries, and scattered others. */
function instants(): number[] {
  const out = [-62_135_596_800_000, -62_135_596_799_999, -1, 0, 1, 253_402_300_799_999, 253_402_300_799_999 - day];
  // 1599–2001: leap centuries and not, every weekday a year can start on; ten days either side of 1 January.
  for (let year = 1599; year <= 2001; year++) {
    const jan1 = new Date(0);
    jan1.setUTCFullYear(year, 0, 1);
    jan1.setUTCHours(0, 0, 0, 0);
    for (let d = -10; d <= 10; d++) out.push(jan1.getTime() + d * day + ((year * 7 + d) % 24) * 3_600_000 + (d & 1) * 999);
    // Several hours of one day in a row (the rows reuse a day's date fields).
    for (const hour of [0, 1, 13, 23]) out.push(jan1.getTime() - day + hour * 3_600_000 + 59 * 60_000);
  }
  // Spread over the years 1 to 9999 with a fixed step (no randomness: a failure names the same instant every run).
  for (let ms = -62_135_596_800_000; ms < 253_402_300_799_999; ms += 9_876_543_210_123) out.push(ms);
  return out;
}

for (const kind of engineKinds) {
  test(`time rows' fields are date_part's on ${kind}, from the year 1 to 9999 and around every kind of year end`, async (t) => {
    const engine = await freshEngine(t, kind);
    if (engine === undefined) return;
    const all = instants();
    const rows = new TimeRows();
    for (const ms of all) rows.add(ms);
    // Repeats are written once.
    for (const ms of all.slice(0, 50)) rows.add(ms);
    const bytes = rows.take();
    await engine.exec(`CREATE TABLE time (start_time timestamp PRIMARY KEY, hour int, day int, week int, month int, year int, weekday int)`);
    const n = await engine.transaction((tx) => tx.copyCsv('time', timeColumns, (async function* () { yield bytes; })(), { format: 'binary' }));
    assert.equal(n, new Set(all).size);
    const wrong = await engine.query<{ start_time: string }>(`SELECT start_time::text AS start_time, hour, day, week, month, year, weekday FROM time
      WHERE (hour, day, week, month, year, weekday) IS DISTINCT FROM
            (date_part('hour', start_time)::int, date_part('day', start_time)::int, date_part('week', start_time)::int,
             date_part('month', start_time)::int, date_part('year', start_time)::int, date_part('dow', start_time)::int)
      ORDER BY start_time LIMIT 5`);
    assert.deepEqual(wrong, []);
    const times = await engine.query<{ ms: string }>(`SELECT (extract(epoch FROM start_time) * 1000)::bigint::text AS ms FROM time ORDER BY start_time`);
    assert.deepEqual(times.map((r) => Number(r.ms)), [...new Set(all)].sort((a, b) => a - b));
  });
}

test('time parts of a known play: 2018-11-15 16:29:28.796 is a Thursday in ISO week 46', () => {
  const out = new Int32Array(6);
  timeParts(Date.UTC(2018, 10, 15, 16, 29, 28, 796), out);
  assert.deepEqual([...out], [16, 15, 46, 11, 2018, 4]);
  // 2021-01-03 (a Sunday) still belongs to ISO week 53 of 2020; 2008-12-29 (a Monday) to week 1 of 2009.
  timeParts(Date.UTC(2021, 0, 3, 23), out);
  assert.deepEqual([...out], [23, 3, 53, 1, 2021, 0]);
  timeParts(Date.UTC(2008, 11, 29), out);
  assert.deepEqual([...out], [0, 29, 1, 12, 2008, 1]);
});

test('the seen set grows up to its limit, then is forgotten rather than grown: later repeats are left to the server', () => {
  const row = 2 + 7 * 4 + 8 + 6 * 4;
  // From 4 slots up to 16: grown twice, every repeat still recognised.
  const rows = new TimeRows(16, 4);
  for (let i = 0; i < 8; i++) rows.add(i * 1000);
  for (let i = 0; i < 8; i++) rows.add(i * 1000);
  assert.equal(rows.take().length, 8 * row);
  // Half full at its limit (8 of 16): the ninth distinct timestamp clears the set first, so 0 is written again.
  rows.add(8000);
  rows.add(0);
  rows.add(8000);
  assert.equal(rows.take().length, 2 * row);
  rows.forget();
  rows.add(8000);
  assert.equal(rows.take().length, row);
  // Many distinct timestamps, each repeated, through growth from the smallest table: each written once.
  const big = new TimeRows(1 << 20, 2);
  for (let i = 0; i < 100_000; i++) big.add(1_541_106_106_796 + i * 7);
  for (let i = 0; i < 100_000; i += 3) big.add(1_541_106_106_796 + i * 7);
  assert.equal(big.take().length, 100_000 * row);
});

test('the spool gives back every row in order, from memory or from its file, and removes the file', async () => {
  for (const limit of [1 << 20, 10]) {
    const spool = new TimeSpool(limit);
    const parts = Array.from({ length: 50 }, (_, i) => Buffer.alloc(7 + i, i));
    for (const p of parts) spool.write(p);
    const back: Uint8Array[] = [];
    for await (const c of spool.chunks()) back.push(c);
    assert.ok(Buffer.concat(back).equals(Buffer.concat(parts)), `in-memory limit ${limit}`);
    spool.close();
    spool.close();
  }
});
