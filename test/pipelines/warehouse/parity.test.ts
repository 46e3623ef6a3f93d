import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import { reconciles } from '../../../src/datasets/source-counts.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { PgliteEngine } from '../../../src/engines/pglite/pglite-engine.ts';
import { simulate } from '../../../src/simulator/simulate.ts';
import { applyStarLoad } from '../../../src/pipelines/star-load/apply-star-load.ts';
import { planStarLoad } from '../../../src/pipelines/star-load/star-plan.ts';
import { uploadTree } from '../../../src/storage/upload-tree.ts';
import { runReports } from '../../../src/pipelines/warehouse/olap-reports.ts';
import { tableChecksums } from '../../../src/pipelines/warehouse/table-checksums.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { bucketStore, testBucket, type TestBucket } from '../../support/s3.ts';
import { freshWarehouse, loadWarehouse } from '../../support/warehouse.ts';

const everyTable = ['songplays', 'users', 'songs', 'artists', 'time', 'staging_events', 'staging_songs'];

/** The same ELT from the same S3 objects into DuckDB and into Postgres. */
async function loadBoth(t: TestContext, bucket: TestBucket, prefix: string): Promise<{ duck: SqlEngine; pg: SqlEngine } | undefined> {
  const duck = await freshWarehouse(t, 'duckdb');
  const pg = await freshWarehouse(t, 'postgres');
  if (!duck || !pg) return undefined;
  const sources = { songs: `${bucket.url}/${prefix}/song_data`, events: `${bucket.url}/${prefix}/log_data`, eventsFormat: `${bucket.url}/${prefix}/log_json_path.json` };
  const [a, b] = await Promise.all([loadWarehouse(duck, 'duckdb', sources, bucket.config), loadWarehouse(pg, 'postgres', sources, bucket.config)]);
  assert.ok([...a.sources, ...b.sources].every(reconciles));
  assert.deepEqual(a.sources, b.sources);
  return { duck, pg };
}

describe('DuckDB and Postgres hold identical tables after the same ELT', () => {
  test('on the course sample: row counts, content checksums and every OLAP report', async (t) => {
    if (!requireDataset(t, sample.root)) return;
    const bucket = await testBucket(t);
    if (!bucket) return;
    await bucketStore(t, bucket, { dir: sample.root, prefix: 'sample' });
    const both = await loadBoth(t, bucket, 'sample');
    if (!both) return;
    const duck = await tableChecksums(both.duck, everyTable);
    assert.deepEqual(duck.map((c) => c.rows), [6820, 96, 71, 69, 6813, 8056, 71]);
    assert.deepEqual(await tableChecksums(both.pg, everyTable), duck);
    assert.deepEqual(await runReports(both.pg), await runReports(both.duck));
  });

  test('on simulated data: the same, and the star schema equals the Postgres model loading the same files', async (t) => {
    const bucket = await testBucket(t);
    if (!bucket) return;
    const dir = await mkdtemp(join(tmpdir(), 'sparkify-parity-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const summary = await simulate({ outDir: join(dir, 'sim'), users: 120, days: 10, songs: 300, seed: 20181101 });
    const store = await bucketStore(t, bucket, { dir: join(dir, 'sim'), prefix: 'sim' });
    // The course's jsonpaths file maps the simulator's events as it maps eventsim's.
    if (!requireDataset(t, sample.jsonPaths)) return;
    await uploadTree(sample.jsonPaths, store, 'sim/log_json_path.json');
    const both = await loadBoth(t, bucket, 'sim');
    if (!both) return;
    const duck = await tableChecksums(both.duck, everyTable);
    assert.equal(duck.find((c) => c.table === 'staging_events')?.rows, summary.events);
    assert.ok((duck.find((c) => c.table === 'songplays')?.rows ?? 0) > 1000);
    assert.deepEqual(await tableChecksums(both.pg, everyTable), duck);
    assert.deepEqual(await runReports(both.pg), await runReports(both.duck));

    const model = await PgliteEngine.open();
    t.after(() => model.close());
    await applyStarLoad(await planStarLoad({ songsDir: join(dir, 'sim', 'song_data'), logsDir: join(dir, 'sim', 'log_data'), target: 'model', rejectsFile: '/dev/null' }), model, new MemoryQuarantine());
    assert.deepEqual(await tableChecksums(model), duck.slice(0, 5));
  });

  test('repeated events (same natural key) collapse into the same play on both, the earliest', async (t) => {
    if (!requireDataset(t, sample.root)) return;
    const bucket = await testBucket(t);
    if (!bucket) return;
    const store = await bucketStore(t, bucket, { dir: sample.root, prefix: 'repeats' });
    const day = (await readFile(join(sample.logs, '2018', '11', '2018-11-01-events.json'), 'utf8')).split('\n').filter((l) => l.includes('"NextSong"'));
    const [a, b] = day.map((l) => JSON.parse(l) as Record<string, unknown>);
    const again = (e: Record<string, unknown> | undefined, over: Record<string, unknown>) => JSON.stringify({ ...e, ...over });
    // a: once earlier (which wins) and once later; b: twice exactly, and once with another location at the same ts.
    const repeats = [again(a, { ts: Number(a?.['ts']) - 1000, location: 'EARLIER' }), again(a, { ts: Number(a?.['ts']) + 1000, location: 'LATER' }),
      again(b, {}), again(b, { location: 'ZZZ same ts' })].join('\n');
    await store.put('repeats/log_data/2018/11/2018-11-31-repeats.json', Buffer.from(repeats));
    const both = await loadBoth(t, bucket, 'repeats');
    if (!both) return;
    const duck = await tableChecksums(both.duck, everyTable);
    // time: every play's timestamp, a losing repeat's too (the earlier and the later one of a are new).
    assert.deepEqual(duck.map((c) => c.rows), [6820, 96, 71, 69, 6815, 8060, 71]);
    assert.deepEqual(await tableChecksums(both.pg, everyTable), duck);
    const id = (e: Record<string, unknown> | undefined) => `${e?.['sessionId']}:${e?.['itemInSession']}:${e?.['userId']}`;
    for (const engine of [both.duck, both.pg]) {
      assert.deepEqual(await engine.query(`SELECT location FROM songplays WHERE songplay_id IN ('${id(a)}', '${id(b)}') ORDER BY songplay_id = '${id(a)}' DESC`),
        [{ location: 'EARLIER' }, { location: b?.['location'] }]);
    }
  });
});
