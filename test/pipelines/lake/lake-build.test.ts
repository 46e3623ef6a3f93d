import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { reconciles } from '../../../src/datasets/source-counts.ts';
import { simulate } from '../../../src/simulator/simulate.ts';
import type { ObjectStore } from '../../../src/storage/object-store.ts';
import { uploadTree } from '../../../src/storage/upload-tree.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import { parseLocation } from '../../../src/storage/location.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { testBucket } from '../../support/s3.ts';
import { build, expectedCounts, filesUnder, lakeFiles, lakeQuery, lakeSums } from './lake-fixtures.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sparkify-lake-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rowsOf = (sums: Awaited<ReturnType<typeof lakeSums>>) => Object.fromEntries(Object.entries(sums.tables).map(([t, s]) => [t, s.rows]));

describe('lake build on the course sample', () => {
  test('tables as the star schema rules count them, Hive folders, manifest and _SUCCESS; a re-run is idempotent', async (t) => {
    if (!requireDataset(t, sample.root)) return;
    const out = join(dir, 'sample-lake');
    const first = await build(sample.root, out);
    const expected = expectedCounts(filesUnder(sample.songs, '.json'), filesUnder(sample.logs, '.json'));
    assert.ok(first.result.sources.every(reconciles), JSON.stringify(first.result.sources));
    assert.equal(first.result.sources[1]?.read, expected.events);
    assert.equal(first.quarantine.total, 0);
    const sums = await lakeSums(out);
    assert.deepEqual(rowsOf(sums), { songs: expected.songs, artists: expected.artists, users: expected.users, time: expected.time, songplays: expected.songplays });
    const matched = await lakeQuery(out, (q) => q('SELECT count(song_id) AS n, count(artist_id) AS a FROM songplays'));
    assert.deepEqual(matched.value, [{ n: expected.matched, a: expected.matched }]);

    const files = lakeFiles(out);
    assert.ok(files.includes('_manifest.json') && files.includes('_SUCCESS'));
    const parquet = files.filter((f) => f.endsWith('.parquet'));
    const shape = (f: string) => f.replace(/=[^/]+/g, '=*').replace(/part-[^/]+\.parquet$/, 'part.parquet');
    assert.deepEqual([...new Set(parquet.map(shape))].sort(), [
      'artists/part.parquet', 'songplays/year=*/month=*/part.parquet', 'songs/year=*/artist_id=*/part.parquet', 'time/year=*/month=*/part.parquet', 'users/part.parquet',
    ]);
    assert.ok(parquet.some((f) => f.startsWith('songplays/year=2018/month=11/')));
    // A song of unknown year (0) is in the Hive default partition, as Spark writes it.
    assert.equal(parquet.filter((f) => f.startsWith('songs/')).length, Object.keys(sums.tables.songs?.partitions ?? {}).length);

    const second = await build(sample.root, out);
    assert.deepEqual(second.result.tables, first.result.tables);
    assert.equal(second.result.publish.deleted, parquet.length, 'the previous version\'s files are deleted after the commit');
    const again = await lakeSums(out);
    assert.notEqual(again.version, sums.version);
    assert.deepEqual(again.tables, sums.tables);
    assert.equal(lakeFiles(out).filter((f) => f.endsWith('.parquet')).length, parquet.length);
  });

  test('bad lines are quarantined and counted: read = loaded + quarantined + filtered + duplicates', async (t) => {
    if (!requireDataset(t, sample.root)) return;
    const input = join(dir, 'bad-input');
    await cp(sample.root, input, { recursive: true });
    const log = join(input, 'log_data', '2018', '11', '2018-11-31-bad-events.json');
    await writeFile(log, 'this is not json\n{"page":"NextSong","userId":"7"}\n');
    const [song] = filesUnder(join(input, 'song_data'), '.json');
    await appendFile(song as string, '{"song_id": 12');
    const { result, quarantine } = await build(input, join(dir, 'bad-lake'));
    const [songs, events] = result.sources;
    assert.equal(events?.quarantined, 2);
    assert.equal(songs?.quarantined, 1);
    assert.equal(quarantine.total, 3);
    assert.ok(result.sources.every(reconciles), JSON.stringify(result.sources));
    assert.deepEqual(quarantine.records.filter((r) => r.source === 'log_data').map((r) => [r.file, r.line]), [[log, 1], [log, 2]]);
    assert.equal(events?.read, expectedCounts([], filesUnder(join(sample.root, 'log_data'), '.json')).events + 2);
  });
});

describe('lake build on simulated data across two months', () => {
  let input: string;
  let out: string;
  before(async () => {
    input = join(dir, 'sim');
    out = join(dir, 'sim-lake');
    await simulate({ outDir: input, users: 150, days: 4, songs: 250, seed: 1612, start: new Date('2018-10-30T00:00:00Z') });
  });

  test('full build: counts equal the rules computed independently; a one-month rebuild replaces exactly that month', async () => {
    const full = await build(input, out);
    const expected = expectedCounts(filesUnder(join(input, 'song_data'), '.json'), filesUnder(join(input, 'log_data'), '.json'));
    assert.ok(full.result.sources.every(reconciles));
    const sums = await lakeSums(out);
    assert.deepEqual(rowsOf(sums), { songs: expected.songs, artists: expected.artists, users: expected.users, time: expected.time, songplays: expected.songplays });
    assert.deepEqual(Object.keys(sums.tables.songplays?.partitions ?? {}).sort(), ['year=2018/month=10', 'year=2018/month=11']);
    const matched = await lakeQuery(out, (q) => q('SELECT count(song_id) AS n FROM songplays'));
    assert.equal(matched.value[0]?.n, expected.matched);

    const before = lakeFiles(out).filter((f) => f.endsWith('.parquet'));
    const november = (f: string) => f.includes('/year=2018/month=11/');
    // Any time in November: the run widens to the whole month, so the partition it writes is complete.
    const month = await build(input, out, { since: '2018-11-01T05:00:00Z', until: '2018-11-02' });
    assert.deepEqual(month.result.tables.map((t) => t.table), ['time', 'songplays']);
    const nov = expectedCounts([], filesUnder(join(input, 'log_data'), '.json'), { since: Date.UTC(2018, 10, 1), until: Date.UTC(2018, 11, 1) });
    assert.equal(month.result.sources[1]?.loaded, nov.songplays);
    assert.ok(month.result.sources.every(reconciles));
    const afterFiles = lakeFiles(out).filter((f) => f.endsWith('.parquet'));
    assert.deepEqual(afterFiles.filter((f) => !november(f)), before.filter((f) => !november(f)), 'everything outside November untouched');
    const [oldNov, newNov] = [before.filter(november), afterFiles.filter(november)];
    assert.equal(newNov.length, oldNov.length);
    assert.ok(newNov.every((f) => !oldNov.includes(f)), 'November rewritten');
    assert.deepEqual((await lakeSums(out)).tables, sums.tables, 'same content');
  });

  test('a failed write leaves the previous version readable; the next run sweeps what it left', async () => {
    const previous = await lakeSums(out);
    let puts = 0;
    const failing = (store: ObjectStore): ObjectStore => Object.assign(Object.create(store) as ObjectStore, {
      put: async (...args: Parameters<ObjectStore['put']>) => {
        if (args[0].endsWith('.parquet') && ++puts === 5) throw new SparkifyError('SPK_E_STORAGE', 'injected: the store failed mid-write');
        return store.put(...args);
      },
    });
    const committed = lakeFiles(out).filter((f) => f.endsWith('.parquet')).length;
    await assert.rejects(build(input, out, { wrap: failing }), /injected/);
    const leftovers = lakeFiles(out).filter((f) => f.endsWith('.parquet')).length;
    // The PUTs in flight beside the failed one finished: at least the four before it are left over.
    assert.ok(leftovers - committed >= 4, `${leftovers - committed} files left over`);
    const now = await lakeSums(out);
    assert.equal(now.version, previous.version);
    assert.deepEqual(now.tables, previous.tables);
    const next = await build(input, out);
    assert.equal(next.result.publish.swept, leftovers - committed);
    assert.deepEqual((await lakeSums(out)).tables, previous.tables);
    assert.equal(lakeFiles(out).filter((f) => f.endsWith('.parquet')).length, committed);
    assert.ok(existsSync(join(out, '_SUCCESS')));
  });
});

describe('lake build on the local S3 server', () => {
  test('s3:// in and out: the same tables as from a directory', async (t) => {
    if (!requireDataset(t, sample.root)) return;
    const bucket = await testBucket(t);
    if (!bucket) return;
    const store = await openStore(parseLocation(`${bucket.url}/course`), bucket.config);
    await uploadTree(sample.root, store, 'course');
    await store.close();
    const { result } = await build(`${bucket.url}/course`, `${bucket.url}/lake`, { s3: bucket.config });
    assert.ok(result.sources.every(reconciles));
    const local = join(dir, 'sample-lake-for-s3');
    await build(sample.root, local);
    assert.deepEqual((await lakeSums(`${bucket.url}/lake`, bucket.config)).tables, (await lakeSums(local)).tables);
    const again = await build(`${bucket.url}/course`, `${bucket.url}/lake`, { s3: bucket.config });
    assert.equal(again.result.publish.deleted, result.publish.uploaded);
  });
});
