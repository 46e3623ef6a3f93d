import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import { checkInterval, hourlyIntervals } from '../../../src/pipelines/warehouse-intervals/data-interval.ts';
import { dimensionTables, planLoadDimension, planLoadFact } from '../../../src/pipelines/warehouse-intervals/interval-plans.ts';
import { loadDimension, loadFact } from '../../../src/pipelines/warehouse-intervals/load-star.ts';
import { stageEvents } from '../../../src/pipelines/warehouse-intervals/stage-events.ts';
import { stageSongs } from '../../../src/pipelines/warehouse-intervals/stage-songs.ts';
import { tableChecksums } from '../../../src/pipelines/warehouse/table-checksums.ts';
import { warehouseSql } from '../../../src/pipelines/warehouse/warehouse-sql.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { freshWarehouse, loadWarehouse, warehouseTargets } from '../../support/warehouse.ts';

const open = (l: Parameters<typeof openStore>[0]) => openStore(l, { region: 'us-east-1' });
const hour = { start: new Date('2018-11-05T13:00:00Z'), end: new Date('2018-11-05T14:00:00Z') };

test('the plans are the one-shot rules, scoped to the interval', () => {
  const fact = planLoadFact('duckdb', hour);
  assert.deepEqual(fact.map((s) => s.name), ['plays of the interval', '31-catalog-songs', '80-catalog', "delete the interval's songplays", '90-songplays', 'drop staging_catalog_songs', 'drop song_catalog', 'drop staging_plays']);
  assert.match(fact[0]?.sql ?? '', /FROM staging_events\nWHERE ts >= TIMESTAMP '2018-11-05 13:00:00\.000' AND ts < TIMESTAMP '2018-11-05 14:00:00\.000'\n {2}AND page = 'NextSong'/);
  assert.equal(fact[2]?.sql, warehouseSql('duckdb', '80-catalog'));
  assert.match(fact[4]?.sql ?? '', /WHERE pick = 1\n[^]*ON CONFLICT \(songplay_id\) DO UPDATE SET[^]*WHERE excluded\.start_time < songplays\.start_time;$/);
  // On PostgreSQL songs.artist_id references artists: the songs step writes its artists first, and truncate keeps referenced ones.
  assert.deepEqual(planLoadDimension('postgres', { table: 'songs', mode: 'truncate-insert' }).map((s) => s.name),
    ['31-catalog-songs', 'clear songs', "40-artists (the songs' own)", '50-songs', 'drop staging_catalog_songs']);
  assert.match(planLoadDimension('postgres', { table: 'artists', mode: 'truncate-insert' })[1]?.sql ?? '', /NOT EXISTS \(SELECT 1 FROM songs/);
  assert.deepEqual(planLoadDimension('duckdb', { table: 'users', mode: 'upsert', interval: hour }).map((s) => s.name), ['plays of the interval', '60-users', 'drop staging_plays']);
  assert.deepEqual(planLoadDimension('duckdb', { table: 'time', mode: 'truncate-insert', interval: hour }).map((s) => s.name), ['clear time', '30-plays', '70-time', 'drop staging_plays']);
  assert.throws(() => planLoadDimension('duckdb', { table: 'songplays' as never, mode: 'upsert' }), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_CONFIG');
  assert.throws(() => checkInterval({ start: hour.end, end: hour.start }), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_CONFIG');
  assert.equal(hourlyIntervals(new Date('2018-11-01T00:00:00Z'), new Date('2018-12-01T00:00:00Z')).length, 720);
});

for (const target of warehouseTargets) {
  test(`${target}: a play repeated in two hours keeps the earliest, whichever hour runs last; rejects are the run's`, async (t) => {
    if (!requireDataset(t, sample.root)) return;
    const dir = await mkdtemp(join(tmpdir(), 'sparkify-intervals-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await cp(sample.songs, join(dir, 'song_data'), { recursive: true });
    const file = join('log_data', '2018', '11', '2018-11-05-events.json');
    const lines = (await readFile(join(sample.root, file), 'utf8')).split('\n').filter((l) => l.trim() !== '');
    const play = JSON.parse(lines.find((l) => l.includes('"NextSong"') && new Date(JSON.parse(l).ts).getUTCHours() === 13) as string) as Record<string, unknown>;
    // The same natural key two hours later (another location), and one record COPY rejects (a fraction in an integer).
    const later = JSON.stringify({ ...play, ts: Number(play['ts']) + 2 * 3_600_000, location: 'LATER' });
    const bad = JSON.stringify({ ...play, itemInSession: 1.5 });
    await cp(join(sample.root, file), join(dir, file));
    await writeFile(join(dir, file), [...lines, later, bad].join('\n'));

    const oneShot = await freshWarehouse(t, target);
    const hourly = await freshWarehouse(t, target);
    if (!oneShot || !hourly) return;
    await loadWarehouse(oneShot, target, { songs: join(dir, 'song_data'), events: join(dir, 'log_data'), eventsFormat: 'auto ignorecase', maxErrors: 1 });
    const expected = await tableChecksums(oneShot);

    await stageSongs(hourly, { from: dir, key: 'song_data', format: 'auto', open, loadId: 'songs' });
    const day = hourlyIntervals(new Date('2018-11-05T00:00:00Z'), new Date('2018-11-06T00:00:00Z'));
    const run = async (i: number, mode: 'upsert' | 'truncate-insert') => {
      const interval = day[i] as (typeof day)[number];
      const staged = await stageEvents(hourly, { interval, from: dir, key: file, format: 'auto ignorecase', open, loadId: `h${i}`, maxErrors: 1 });
      assert.equal(staged.rejected, 1);
      await loadFact(hourly, interval);
      for (const table of dimensionTables) await loadDimension(hourly, { table, mode, interval });
    };
    // The later hour first, then every hour in order, then the earlier hour and the later one again.
    await run(15, 'upsert');
    for (let i = 0; i < 24; i++) await run(i, 'upsert');
    await run(13, 'truncate-insert');
    await run(15, 'upsert');
    const id = `${play['sessionId']}:${play['itemInSession']}:${play['userId']}`;
    assert.deepEqual(await hourly.query(`SELECT location FROM songplays WHERE songplay_id = '${id}'`), [{ location: play['location'] }]);
    // The one-shot load holds every day; the hourly warehouse this one.
    const oneDay = "start_time >= TIMESTAMP '2018-11-05 00:00:00' AND start_time < TIMESTAMP '2018-11-06 00:00:00'";
    for (const sql of [`SELECT * FROM songplays WHERE ${oneDay}`, `SELECT * FROM time WHERE ${oneDay}`]) {
      const rows = async (engine: SqlEngine): Promise<string> => JSON.stringify(await engine.query(`${sql} ORDER BY 1`), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
      assert.equal(await rows(hourly), await rows(oneShot));
    }
    assert.deepEqual((await tableChecksums(hourly, ['songs', 'artists'])), expected.filter((c) => c.table === 'songs' || c.table === 'artists'));
    const rejects = await hourly.query<{ load_id: string }>("SELECT load_id FROM load_errors WHERE load_id = 'h13'");
    assert.equal(rejects.length, 2);
  });
}
