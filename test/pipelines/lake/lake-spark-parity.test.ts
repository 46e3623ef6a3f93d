import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { reconciles } from '../../../src/datasets/source-counts.ts';
import { simulate } from '../../../src/simulator/simulate.ts';
import { parseLocation } from '../../../src/storage/location.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import { uploadTree } from '../../../src/storage/upload-tree.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { runCli } from '../../support/run-cli.ts';
import { testBucket } from '../../support/s3.ts';
import { testSparkRemote } from '../../support/spark.ts';
import { build, filesUnder, lakeFiles, lakeSums, type Build } from './lake-fixtures.ts';

/**
 * The same lake job on DuckDB and on Spark (issue 16 §3 "Parity"): the same tables, row counts and content checksums
 * per table and per partition (read back through one reader, DuckDB's), the same counts and quarantined records.
 */
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sparkify-lake-parity-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const counts = (b: Build) => b.result.sources.map(({ source, files, read, loaded, quarantined, filtered, duplicates }) => ({ source, files, read, loaded, quarantined, filtered, duplicates }));
const tableRows = (b: Build) => b.result.tables.map(({ table, rows, partitions }) => ({ table, rows, partitions }));

describe('lake build on Spark and on DuckDB', () => {
  test('the course sample from a directory: the same tables, partition by partition', async (t) => {
    if (!requireDataset(t, sample.root)) return;
    const remote = testSparkRemote(t);
    if (!remote) return;
    const duck = await build(sample.root, join(dir, 'sample-duckdb'));
    const spark = await build(sample.root, join(dir, 'sample-spark'), { sparkRemote: remote });
    assert.deepEqual(counts(spark), counts(duck));
    assert.ok(spark.result.sources.every(reconciles));
    assert.deepEqual(tableRows(spark), tableRows(duck));
    const [d, s] = [await lakeSums(join(dir, 'sample-duckdb')), await lakeSums(join(dir, 'sample-spark'))];
    assert.deepEqual(s.tables, d.tables);
    assert.ok(Object.keys(s.tables.songs?.partitions ?? {}).length > 50, 'songs are partitioned by year and artist');
    // One file per partition folder, named as the plan names them (not Spark's part-00000-<uuid>.c000), and nothing else.
    const files = lakeFiles(join(dir, 'sample-spark'));
    assert.deepEqual(files.filter((f) => !/^(_manifest\.json|_SUCCESS|_lock\.json(\.cas-lock)?|\w+\/([a-z_]+=[^/]+\/)*part-[\w.-]+-\d+\.parquet)$/.test(f)), []);
    const folders = files.filter((f) => f.endsWith('.parquet')).map((f) => f.slice(0, f.lastIndexOf('/')));
    assert.equal(new Set(folders).size, folders.length);
  });

  test('simulated data with damaged lines, from the local S3 server and over one month: same tables, same quarantine', async (t) => {
    const remote = testSparkRemote(t);
    if (!remote) return;
    const bucket = await testBucket(t);
    if (!bucket) return;
    const input = join(dir, 'sim');
    // Five days from 29 October: two months of plays, so a run over November replaces one month partition.
    await simulate({ outDir: input, users: 60, days: 5, songs: 150, seed: 16, start: new Date('2018-10-29T00:00:00Z') });
    const [log] = filesUnder(join(input, 'log_data'), '.json');
    await appendFile(log as string, '{"page": "NextSong", "userId": \n{"ts": "yesterday", "page": "Home"}\n');
    const [song] = filesUnder(join(input, 'song_data'), '.json');
    await appendFile(song as string, '{"song_id": 12');
    const store = await openStore(parseLocation(`${bucket.url}/sim`), bucket.config);
    await uploadTree(input, store, 'sim');
    await store.close();

    const from = `${bucket.url}/sim`;
    const duck = await build(from, `${bucket.url}/duck`, { s3: bucket.config });
    const spark = await build(from, `${bucket.url}/spark`, { s3: bucket.config, sparkRemote: remote });
    assert.deepEqual(counts(spark), counts(duck));
    assert.ok(spark.quarantine.total >= 2, `quarantined ${spark.quarantine.total}`);
    const reasons = (b: Build) => b.quarantine.records.map((r) => [r.file, r.line, r.field, r.reason]);
    assert.deepEqual(reasons(spark), reasons(duck));
    const sums = async () => [(await lakeSums(`${bucket.url}/duck`, bucket.config)).tables, (await lakeSums(`${bucket.url}/spark`, bucket.config)).tables];
    const [d, s] = await sums();
    assert.deepEqual(s, d);
    assert.deepEqual(Object.keys(s?.songplays?.partitions ?? {}).sort(), ['year=2018/month=10', 'year=2018/month=11']);

    // November again on each engine: that month's partitions replaced, October's files untouched, same content.
    const november = { since: '2018-11-01', until: '2018-12-01', s3: bucket.config };
    const duckAgain = await build(from, `${bucket.url}/duck`, november);
    const sparkAgain = await build(from, `${bucket.url}/spark`, { ...november, sparkRemote: remote });
    assert.deepEqual(tableRows(sparkAgain), tableRows(duckAgain));
    assert.deepEqual(sparkAgain.result.tables.map((x) => x.table), ['time', 'songplays']);
    const [d2, s2] = await sums();
    assert.deepEqual(s2, d2);
    assert.deepEqual(s2, s);
  });

  test('lake query --engine spark answers as DuckDB does, over the tables and over the raw logs', async (t) => {
    if (!requireDataset(t, sample.root)) return;
    const remote = testSparkRemote(t);
    if (!remote) return;
    const lake = join(dir, 'query-lake');
    await build(sample.root, lake);
    const sql = `SELECT s.year, count(*) AS plays, count(DISTINCT p.user_id) AS users, round(avg(s.duration), 3) AS avg_duration
                 FROM songplays p JOIN songs s ON s.song_id = p.song_id GROUP BY s.year ORDER BY s.year`;
    const ask = async (engine: string, args: string[]) => {
      const r = await runCli(['lake', 'query', ...args, '--engine', engine, '--spark-remote', remote, '--json']);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as unknown[];
    };
    const answer = await ask('spark', [sql, '--out', lake]);
    assert.ok(answer.length > 0);
    assert.deepEqual(answer, await ask('duckdb', [sql, '--out', lake]));
    const raw = "SELECT page, count(*) AS n FROM log_data WHERE userId <> '' GROUP BY page ORDER BY page";
    const pages = await ask('spark', [raw, '--in', sample.root]);
    assert.deepEqual(pages, await ask('duckdb', [raw, '--in', sample.root]));
    assert.ok(pages.some((p) => (p as { page: string }).page === 'NextSong'));
  });

  test('the spark engine without a server address is a bad option (exit 2) naming --spark-remote', async () => {
    const r = await runCli(['lake', 'query', 'SELECT 1', '--in', dir, '--engine', 'spark'], { SPARKIFY_SPARK_REMOTE: '' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--spark-remote/);
  });
});
