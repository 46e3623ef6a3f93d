import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test, type TestContext } from 'node:test';
import { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import type { S3Config } from '../../../src/storage/s3/s3-config.ts';
import { applyWarehouseLoad, type WarehouseLoadResult } from '../../../src/pipelines/warehouse/apply-warehouse-load.ts';
import { stagingEvents, stagingSongs } from '../../../src/pipelines/warehouse/staging-tables.ts';
import { planWarehouseLoad } from '../../../src/pipelines/warehouse/warehouse-plan.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { bucketStore, testBucket } from '../../support/s3.ts';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-convert-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const event = (fields: Record<string, unknown> = {}) => ({
  artist: 'Des\'ree', auth: 'Logged In', firstName: 'Kaylee', gender: 'F', itemInSession: 1, lastName: 'Summers', length: 246.30812,
  level: 'free', location: 'Phoenix, AZ', method: 'PUT', page: 'NextSong', registration: 1540344794796.0, sessionId: 139, song: 'You Gotta Be',
  status: 200, ts: 1541106106796, userAgent: '"Mozilla/5.0"', userId: '8', ...fields,
});
const line = (fields: Record<string, unknown> = {}) => JSON.stringify(event(fields));
const song = (fields: Record<string, unknown> = {}) => JSON.stringify({
  num_songs: 1, artist_id: 'ARJIE2Y1187B994AB7', artist_latitude: null, artist_longitude: null, artist_location: '', artist_name: 'Line Renaud',
  song_id: 'SOUPIRU12A6D4FA1E1', title: 'Der Kleine Dompfaff', duration: 152.92036, year: 0, ...fields,
});

/** Good records, and hostile ones each in a file of its own among good files. */
const eventFiles: Record<string, string | Buffer> = {
  'good-1.json': [line(), line({ itemInSession: 2, userId: '', page: 'Home', song: null, artist: null, length: null })].join('\n'),
  'good-2.json': `${line({ sessionId: 7, registration: 1540344794796, length: 1e2, ts: 0 })}\r\n${line({ song: 'Ünïcödé 🎵', userId: '-12' })}\r\n`,
  'trailing-comma.json': `${line()}\n{"artist":"A","userId":"3",}\n`,
  'nan.json': `${line({ length: 'NAN' })}\n${line().replace('246.30812', 'NaN')}\n`,
  'infinity-text.json': `${line({ song: 'Infinity 2008' })}\n`,
  'nan-lower-case.json': `${line().replace('246.30812', 'nan')}\n${line().replace('"sessionId":139', '"sessionId":-inf')}\n`,
  'nan-nested.json': `${line().replace('"status":200', '"status":[1, NaN]')}\n${line().replace('"status":200', '"status":{"x":\n -Infinity}')}\n`,
  'duplicate-key.json': `${line().replace('"userId":"8"', '"userId":"8","userId":"9"')}\n`,
  'number-as-text.json': `${line({ artist: 112 })}\n`,
  'fraction-in-integer.json': `${line({ sessionId: 7.5 })}\n${line({ status: 200.0 })}\n`,
  'digits-with-space.json': `${line({ userId: ' 8' })}\n`,
  'plus-sign.json': `${line({ userId: '+8' })}\n`,
  'int-overflow.json': `${line({ sessionId: 2 ** 31 })}\n${line({ userId: '99999999999' })}\n`,
  'big-ts.json': `${line({ ts: 253402300800000 })}\n${line({ ts: -62135596800001 })}\n`,
  'ts-as-text.json': `${line({ ts: '1541106106796' })}\n${line({ ts: '' })}\n`,
  'nul.json': `${line({ song: 'a\u0000b' })}\n`,
  'long-text.json': `${line({ song: 'x'.repeat(70_000) })}\n`,
  'object-in-text.json': `${line({ location: { city: 'Phoenix' } })}\n${line({ level: true })}\n`,
  'not-an-object.json': `[1, 2]\n"text"\n${line()}\n`,
  'lone-surrogate.json': `${line().replace('You Gotta Be', 'bad \\ud800 half')}\n`,
  'raw-newline.json': `${line().replace('You Gotta Be', 'broken\nline')}\n${line()}\n`,
  'invalid-utf8.json': Buffer.concat([Buffer.from(`${line()}\n`), Buffer.from('{"artist":"\xff"}\n', 'latin1'), Buffer.from(`${line()}\n`)]),
  'garbage.json': `${line()}\nnot json at all\n${line()}\n`,
  'pretty.json': `${JSON.stringify(event(), null, 2)}\n${line()}${line()}\n`,
  'bom.json': `\uFEFF${line()}\n`,
  'empty.json': '',
  'blank.json': '\n  \n',
  'gzip.json': gzipSync(`${line()}\n${line({ itemInSession: 9 })}\n`),
  'huge-record.json': `${line({ song: 'y'.repeat(5 * 1024 * 1024) })}\n${line()}\n`,
};

const songFiles: Record<string, string> = {
  'a.json': song(),
  'b.json': `${song({ song_id: 'SOB', year: 2004, artist_latitude: 35.14968, artist_longitude: -90.04892 })} ${song({ song_id: 'SOC' })}`,
  'c.json': song({ artist_name: 112 }),
  'd.json': song({ year: '1999' }),
  'e.json': song({ duration: '152.5' }),
  // Repairs (counted wherever the records are converted): a lone surrogate, written as JSON writes it, and a BOM.
  'f.json': song({ song_id: 'SOF', artist_name: 'F\ud800' }),
  'g.json': `\ufeff${song({ song_id: 'SOG' })}`,
};

async function corpusDir(t: TestContext): Promise<string> {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'log_data'), { recursive: true });
  await mkdir(join(dir, 'song_data'), { recursive: true });
  for (const [name, body] of Object.entries(eventFiles)) await writeFile(join(dir, 'log_data', name), body);
  for (const [name, body] of Object.entries(songFiles)) await writeFile(join(dir, 'song_data', name), body);
  if (requireDataset(t, sample.jsonPaths)) await cp(sample.jsonPaths, join(dir, 'log_json_path.json'));
  return dir;
}

/** `root` is a directory or an s3:// prefix holding song_data/ and log_data/. */
async function load(root: string, workers: number | undefined, eventsFormat: string, s3: S3Config = { region: 'us-east-1' }, extra: { maxErrors?: number } = {}) {
  const engine = await DuckDbEngine.open();
  try {
    const plan = planWarehouseLoad({ target: 'duckdb', maxErrors: extra.maxErrors ?? 100_000, songs: `${root}/song_data`, events: `${root}/log_data`, eventsFormat });
    const result = await applyWarehouseLoad(plan, engine, {
      open: (l) => openStore(l, s3), loadId: 'l', concurrency: 4, ...(workers === undefined ? {} : { workers }),
    });
    const rows = async (table: typeof stagingEvents) => (await engine.query<Record<string, string | null>>(
      `SELECT ${table.columns.map((c) => `CAST(${c.name} AS VARCHAR) AS ${c.name}`).join(', ')} FROM ${table.name} ORDER BY ALL`));
    return {
      result,
      events: await rows(stagingEvents),
      songs: await rows(stagingSongs),
      // Files are named relative to the root, so loads from a directory and from a bucket compare.
      errors: await engine.query(`SELECT table_name, replace(file, '${root}/', '') AS file, line, column_name, reason, raw FROM load_errors ORDER BY ALL`),
      star: await engine.query("SELECT 'songplays' AS t, count(*)::INTEGER AS n FROM songplays UNION ALL SELECT 'time', count(*)::INTEGER FROM time ORDER BY ALL"),
    };
  }
  finally {
    await engine.close();
  }
}

const counts = (r: WarehouseLoadResult) => r.sources.map((s) => ({ ...s }));

const sameStaging = (a: Awaited<ReturnType<typeof load>>, b: Awaited<ReturnType<typeof load>>) => {
  assert.deepEqual(a.events, b.events);
  assert.deepEqual(a.songs, b.songs);
  assert.deepEqual(a.errors, b.errors);
  assert.deepEqual(counts(a.result), counts(b.result));
  assert.deepEqual(a.star, b.star);
};

for (const format of ['jsonpaths', 'auto'] as const) {
  test(`conversion workers stage exactly what this thread does, on good and hostile records (${format})`, async (t) => {
    if (format === 'jsonpaths' && !requireDataset(t, sample.jsonPaths)) return;
    const root = await corpusDir(t);
    const eventsFormat = format === 'auto' ? 'auto' : join(root, 'log_json_path.json');
    const here = await load(root, 0, eventsFormat);
    // The hostile files are the reason for the comparison: they must have produced rejects.
    assert.ok(here.errors.length >= (format === 'auto' ? 10 : 15), `rejects: ${here.errors.length}`);
    for (const workers of [1, 2, 3]) sameStaging(await load(root, workers, eventsFormat), here);
  });
}

test('from S3 too, and MAXERROR counts the rejects of every worker', async (t) => {
  if (!requireDataset(t, sample.jsonPaths)) return;
  const bucket = await testBucket(t);
  if (!bucket) return;
  const root = await corpusDir(t);
  await bucketStore(t, bucket, { dir: root, prefix: 'corpus' });
  const remote = `s3://${bucket.bucket}/corpus`;
  const here = await load(root, 0, join(root, 'log_json_path.json'));
  sameStaging(await load(remote, 2, `${remote}/log_json_path.json`, bucket.config), here);
  const limit = here.errors.filter((e) => (e as { table_name: string }).table_name === 'staging_events').length - 1;
  await assert.rejects(load(remote, 2, `${remote}/log_json_path.json`, bucket.config, { maxErrors: limit }),
    (e: Error) => e.message.includes(`rejected more than MAXERROR ${limit} records`));
  await assert.doesNotReject(load(remote, 2, `${remote}/log_json_path.json`, bucket.config, { maxErrors: limit + 1 }));
});

test('the course sample: the same staging and star tables with two workers', async (t) => {
  if (!requireDataset(t, sample.songs)) return;
  sameStaging(await load(sample.root, 2, sample.jsonPaths), await load(sample.root, 0, sample.jsonPaths));
});

test('a thousand small objects and more from S3: the workers fetch them too, and stage what this thread does', async (t) => {
  if (!requireDataset(t, sample.jsonPaths) || !requireDataset(t, sample.largeSongs)) return;
  const bucket = await testBucket(t);
  if (!bucket) return;
  // The hostile song files among the 1,943 songs of the large sample (one file holds two objects).
  const root = await corpusDir(t);
  await cp(sample.largeSongs, join(root, 'song_data', 'large'), { recursive: true });
  await writeFile(join(root, 'song_data', 'large', 'truncated.json'), '{"song_id": "SOT", "title": "Cut');
  await bucketStore(t, bucket, { dir: root, prefix: 'many' });
  const remote = `s3://${bucket.bucket}/many`;
  const here = await load(root, 0, join(root, 'log_json_path.json'));
  assert.ok(here.songs.length > 1943 && here.errors.some((e) => (e as { table_name: string }).table_name === 'staging_songs'), 'songs staged and rejected');
  assert.equal(here.result.sources[0]?.repaired, 2, 'f.json and g.json');
  sameStaging(await load(remote, 2, `${remote}/log_json_path.json`, bucket.config), here);
  // By default the songs' objects get one worker, which fetches and converts them all.
  sameStaging(await load(remote, undefined, `${remote}/log_json_path.json`, bucket.config), here);
});

test('chunks for the workers are joined into pieces of the asked size, every byte once and in order', async () => {
  const { coalesced } = await import('../../../src/fastpath/warehouse/convert-pool.ts');
  const source = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
  const sizes = [1, 3, 100, 1000, 2500, 4096, 10_000];
  for (const chunk of sizes) {
    for (const piece of [1, 7, 1000, 4096, 20_000]) {
      const chunks = (async function* () {
        for (let i = 0; i < source.length; i += chunk) yield source.subarray(i, i + chunk);
      })();
      const out: Uint8Array[] = [];
      for await (const p of coalesced(chunks, piece)) out.push(Uint8Array.from(p));
      assert.ok(Buffer.concat(out).equals(source), `chunks of ${chunk} into pieces of ${piece}`);
      // Every piece but the last is at least the asked size; a joined piece is exactly it.
      for (const p of out.slice(0, -1)) assert.ok(p.length >= piece, `a piece of ${p.length} < ${piece}`);
    }
  }
});
