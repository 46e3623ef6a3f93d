import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import { hourlyIntervals, type DataInterval } from '../../../src/pipelines/warehouse-intervals/data-interval.ts';
import { dimensionTables, type DimensionMode } from '../../../src/pipelines/warehouse-intervals/interval-plans.ts';
import { loadDimension, loadFact } from '../../../src/pipelines/warehouse-intervals/load-star.ts';
import { runQualityChecks, type QualityCheck } from '../../../src/pipelines/warehouse-intervals/quality-checks.ts';
import { stageEvents } from '../../../src/pipelines/warehouse-intervals/stage-events.ts';
import { stageSongs } from '../../../src/pipelines/warehouse-intervals/stage-songs.ts';
import { tableChecksums } from '../../../src/pipelines/warehouse/table-checksums.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { freshWarehouse, loadWarehouse, warehouseTargets } from '../../support/warehouse.ts';

const open = (l: Parameters<typeof openStore>[0]) => openStore(l, { region: 'us-east-1' });
const star = ['songplays', 'users', 'songs', 'artists', 'time'];

/** The course's templated key, rendered for a run's logical date (the day's file serves each of its hours). */
const dayKey = (at: Date) => `log_data/${at.getUTCFullYear()}/${at.getUTCMonth() + 1}/${at.toISOString().slice(0, 10)}-events.json`;

const checks: QualityCheck[] = [
  { name: 'songplays have a user', sql: 'SELECT count(*) FROM songplays WHERE user_id IS NULL', expect: { equals: 0 } },
  { name: 'every play has its time', sql: 'SELECT p.songplay_id FROM songplays p LEFT JOIN time t ON t.start_time = p.start_time WHERE t.start_time IS NULL', expect: 'no rows' },
  { name: 'every play has its user', sql: 'SELECT p.songplay_id FROM songplays p LEFT JOIN users u ON u.user_id = p.user_id WHERE u.user_id IS NULL', expect: 'no rows' },
  { name: 'songs loaded', sql: 'SELECT count(*) FROM songs', expect: 'not empty' },
];

/** One scheduled run of the Sparkify DAG, its steps in the DAG's order. Dimensions alternate modes by day: both hold. */
async function run(engine: SqlEngine, interval: DataInterval): Promise<number> {
  const staged = await stageEvents(engine, { interval, from: sample.root, key: dayKey(interval.start), format: sample.jsonPaths, open, loadId: `run-${interval.start.toISOString()}` });
  await loadFact(engine, interval);
  const mode: DimensionMode = interval.start.getUTCDate() % 2 === 0 ? 'truncate-insert' : 'upsert';
  for (const table of dimensionTables) await loadDimension(engine, { table, mode, interval });
  await runQualityChecks(engine, checks);
  return staged.staged;
}

describe('the warehouse per data interval equals the one-shot load', () => {
  for (const target of warehouseTargets) {
    test(`${target}: 720 hourly runs over November 2018, then a second backfill of one day`, async (t: TestContext) => {
      if (!requireDataset(t, sample.root)) return;
      const oneShot = await freshWarehouse(t, target);
      // An hour's statements touch a few hundred rows: DuckDB's thread pool costs more than it gains on them (720 runs:
      // about 55 s on 2 threads, 40 s on 1).
      const hourly = target === 'duckdb' ? await DuckDbEngine.open({ threads: 1 }) : await freshWarehouse(t, target);
      if (target === 'duckdb') t.after(() => hourly?.close());
      if (!oneShot || !hourly) return;
      await loadWarehouse(oneShot, target, { songs: sample.songs, events: sample.logs, eventsFormat: sample.jsonPaths });
      const expected = await tableChecksums(oneShot, [...star, 'staging_events', 'staging_songs']);

      const songs = await stageSongs(hourly, { from: sample.root, key: 'song_data', format: 'auto', open, loadId: 'songs' });
      assert.equal(songs.staged, 71);
      const started = performance.now();
      let events = 0;
      for (const interval of hourlyIntervals(new Date('2018-11-01T00:00:00Z'), new Date('2018-12-01T00:00:00Z'))) events += await run(hourly, interval);
      t.diagnostic(`${target}: 720 runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      assert.equal(events, 8056);
      assert.deepEqual(await tableChecksums(hourly, [...star, 'staging_events', 'staging_songs']), expected);

      for (const interval of hourlyIntervals(new Date('2018-11-15T00:00:00Z'), new Date('2018-11-16T00:00:00Z'))) await run(hourly, interval);
      assert.deepEqual(await tableChecksums(hourly, [...star, 'staging_events', 'staging_songs']), expected);
    });
  }
});
