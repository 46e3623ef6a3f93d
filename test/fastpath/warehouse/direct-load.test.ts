import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import { installedHttpfs } from '../../../src/engines/duckdb/httpfs.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import type { S3Config } from '../../../src/storage/s3/s3-config.ts';
import { applyWarehouseLoad, type WarehouseLoadResult } from '../../../src/pipelines/warehouse/apply-warehouse-load.ts';
import { directJsonInsert, directJsonKeys, directlyReadable } from '../../../src/fastpath/warehouse/direct-json.ts';
import { stagingSongs } from '../../../src/pipelines/warehouse/staging-tables.ts';
import { tableChecksums } from '../../../src/pipelines/warehouse/table-checksums.ts';
import { planWarehouseLoad, type WarehouseLoadRequest } from '../../../src/pipelines/warehouse/warehouse-plan.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { bucketStore, testBucket } from '../../support/s3.ts';

type Sources = Pick<WarehouseLoadRequest, 'songs' | 'events' | 'eventsFormat'> & Partial<Pick<WarehouseLoadRequest, 'maxErrors'>>;

async function load(t: TestContext, sources: Sources, direct: boolean, s3: S3Config = { region: 'us-east-1' }): Promise<{ engine: DuckDbEngine; result: WarehouseLoadResult }> {
  const engine = await DuckDbEngine.open();
  t.after(() => engine.close());
  const plan = planWarehouseLoad({ target: 'duckdb', maxErrors: 0, ...sources });
  const result = await applyWarehouseLoad(plan, engine, { open: (l) => openStore(l, s3), loadId: 'direct-test', concurrency: 4, direct });
  return { engine, result };
}

/** Everything a staging load leaves that the two paths must agree on. */
async function staged(engine: DuckDbEngine) {
  return {
    events: await engine.query('SELECT * FROM staging_events ORDER BY ALL'),
    songs: await engine.query('SELECT * FROM staging_songs ORDER BY ALL'),
    errors: await engine.query('SELECT table_name, file, line, column_name, reason, raw FROM load_errors ORDER BY ALL'),
  };
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-direct-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('DuckDB reading the objects itself', () => {
  test('on the course sample: both staging tables read directly, the same tables as converting the records', async (t) => {
    if (!requireDataset(t, sample.songs)) return;
    const sources = { songs: sample.songs, events: sample.logs, eventsFormat: sample.jsonPaths };
    const direct = await load(t, sources, true);
    const converted = await load(t, sources, false);
    assert.deepEqual(direct.result.reads, [{ table: 'staging_songs', path: 'direct' }, { table: 'staging_events', path: 'direct' }]);
    assert.deepEqual(converted.result.reads.map((r) => r.path), ['converted', 'converted']);
    assert.deepEqual(direct.result.sources, converted.result.sources);
    assert.deepEqual(await staged(direct.engine), await staged(converted.engine));
    assert.deepEqual(await tableChecksums(direct.engine), await tableChecksums(converted.engine));
  });

  test('from the S3 server (httpfs): read directly, the same tables as from disk', async (t) => {
    if (!requireDataset(t, sample.root)) return;
    if (installedHttpfs() === undefined) {
      const message = "DuckDB's httpfs extension is not installed (npm run duckdb-httpfs; npm test installs it)";
      if (process.env.CI === 'true') throw new Error(message);
      process.stderr.write(`\n*** SKIPPED: ${message} ***\n`);
      t.skip(message);
      return;
    }
    const bucket = await testBucket(t);
    if (!bucket) return;
    await bucketStore(t, bucket, { dir: sample.root, prefix: 'udacity-dend' });
    const fromS3 = await load(t, { songs: `${bucket.url}/udacity-dend/song_data`, events: `${bucket.url}/udacity-dend/log_data`, eventsFormat: `${bucket.url}/udacity-dend/log_json_path.json` }, true, bucket.config);
    const fromDisk = await load(t, { songs: sample.songs, events: sample.logs, eventsFormat: sample.jsonPaths }, false);
    assert.deepEqual(fromS3.result.reads, [{ table: 'staging_songs', path: 'direct' }, { table: 'staging_events', path: 'direct' }]);
    assert.deepEqual(await tableChecksums(fromS3.engine), await tableChecksums(fromDisk.engine));
  });

  // Each case is one events file; the direct read must give exactly what converting gives, or decline.
  const plain = '"artist":"A","auth":"Logged In","firstName":"F","gender":"M","itemInSession":0,"lastName":"L","length":200.5,"level":"free","location":"X","method":"PUT","page":"NextSong","registration":1540919166796.0,"sessionId":1,"song":"S","status":200,"ts":1541903636796,"userAgent":"U","userId":"15"';
  const with_ = (field: string, value: string) => `{${plain.replace(new RegExp(`"${field}":("[^"]*"|[^,]*)`), `"${field}":${value}`)}}`;
  const cases: { name: string; text: string; direct: boolean; reason?: RegExp; repaired?: number }[] = [
    { name: 'plain lines', text: `{${plain}}\n{${plain}}\n`, direct: true },
    { name: 'escapes: \\u00e9, a surrogate pair, \\n, \\/, \\"', text: `${with_('artist', '"\\u00e9 \\ud83d\\ude00 a\\nb \\/ \\""')}\n`, direct: true },
    { name: 'UTF-8 text and DEL', text: `${with_('artist', '"Björk \u007f"')}\n`, direct: true },
    { name: 'CRLF, blank lines, spaces around values', text: `{${plain}}\r\n\r\n  ${with_('length', ' 1 ')}  \n`, direct: true },
    { name: 'unknown keys and an empty object', text: `{"extra":[1,{"a":null}],${plain}}\n{}\n`, direct: true },
    { name: 'nulls and "" for userId', text: `${with_('userId', '""')}\n${with_('song', 'null')}\n${with_('length', 'null')}\n`, direct: true },
    { name: 'numbers DuckDB and JavaScript must round alike', text: ['0.1', '1e-7', '123456789012345678901234567890', '2.2250738585072014e-308', '9007199254740993', '-0', '1E400'].map((v) => with_('length', v)).join('\n'), direct: false },
    { name: 'finite numbers rounding alike', text: ['0.1', '1e-7', '123456789012345678901234567890', '2.2250738585072014e-308', '9007199254740993', '-0', '4.35', '1e5', '-2.5E-3'].map((v) => with_('length', v)).join('\n'), direct: true },
    { name: 'a trailing comma', text: `{${plain},}\n`, direct: false, reason: /events\.json: line 1: a key is not a string$/ },
    { name: 'NaN in a key no column reads', text: `{"extra":NaN,${plain}}\n`, direct: false },
    { name: '-Infinity in a column', text: `${with_('length', '-Infinity')}\n`, direct: false },
    { name: 'a line that is null', text: `{${plain}}\nnull\n`, direct: false },
    { name: 'a number into a text column', text: `${with_('artist', '12.50')}\n`, direct: false, reason: /events\.json: line 1: a value that is not a plain varchar for "artist"$/ },
    { name: 'a fraction into an integer column', text: `${with_('status', '200.0')}\n`, direct: false },
    { name: 'numeric text into a double column', text: `${with_('length', '"1.5"')}\n`, direct: false },
    { name: 'a padded userId', text: `${with_('userId', '" 15"')}\n`, direct: false },
    { name: 'true into an integer column', text: `${with_('status', 'true')}\n`, direct: false },
    { name: 'a timestamp past 9999', text: `${with_('ts', '253402300800000')}\n`, direct: false },
    { name: 'U+0000 in text', text: `${with_('artist', '"a\\u0000b"')}\n`, direct: false },
    { name: 'duplicate keys', text: `{"artist":"B",${plain}}\n`, direct: false },
    { name: 'two objects on a line', text: `{${plain}}{${plain}}\n`, direct: false },
    { name: 'an object over two lines', text: `{${plain.replace(',"auth"', ',\n"auth"')}}\n`, direct: false },
    { name: 'broken JSON', text: `{${plain}\n`, direct: false },
    // DuckDB refuses it; converted here, it is stored as U+FFFD and counted as repaired.
    { name: 'a lone surrogate', text: `${with_('artist', '"\\ud800"')}\n`, direct: false, reason: /no low surrogate in string/, repaired: 1 },
  ];
  for (const c of cases) {
    test(`${c.name}: ${c.direct ? 'read directly' : 'declined'}, and the same rows and load errors as converting`, async (t) => {
      if (!requireDataset(t, sample.jsonPaths)) return;
      const dir = await tempDir(t);
      await mkdir(join(dir, 'songs'));
      await mkdir(join(dir, 'events'));
      await writeFile(join(dir, 'songs', 'song.json'), '{"num_songs":1,"artist_id":"AR1","artist_latitude":null,"artist_longitude":null,"artist_location":"","artist_name":"A","song_id":"SO1","title":"S","duration":200.5,"year":0}');
      await writeFile(join(dir, 'events', 'events.json'), c.text);
      const sources = { songs: join(dir, 'songs'), events: join(dir, 'events'), eventsFormat: sample.jsonPaths, maxErrors: 100 };
      const direct = await load(t, sources, true);
      const converted = await load(t, sources, false);
      assert.equal(direct.result.reads[1]?.path, c.direct ? 'direct' : 'converted', direct.result.reads[1]?.declined);
      if (c.reason) assert.match(direct.result.reads[1]?.declined ?? '', c.reason);
      assert.deepEqual(direct.result.sources, converted.result.sources);
      assert.equal(direct.result.sources[1]?.repaired, c.repaired ?? 0);
      assert.deepEqual(await staged(direct.engine), await staged(converted.engine));
    });
  }
});

test('setting DuckDB up for S3 fails naming the bucket, never the keys', async (t) => {
  const engine = await DuckDbEngine.open();
  t.after(() => engine.close());
  const attempt = engine.readS3('/nonexistent/httpfs.duckdb_extension', 'some-bucket', { region: 'us-east-1', endpoint: 'http://127.0.0.1:9' },
    { accessKeyId: 'AKIA-VISIBLE-ID', secretAccessKey: 'top-secret-value', sessionToken: 'token-value' });
  await assert.rejects(attempt, (error: Error) => {
    assert.match(error.message, /DuckDB cannot be set up to read s3:\/\/some-bucket/);
    assert.doesNotMatch(`${error.message} ${String(error.cause ?? '')}`, /top-secret-value|token-value/);
    return true;
  });
});

describe('the direct read statement', () => {
  test('exact SQL: typed columns under names of their own, integers read as text', () => {
    const keys = directJsonKeys(stagingSongs.columns, { mode: 'auto' }, undefined) as string[];
    const sql = directJsonInsert(stagingSongs, 'staging_songs_load', keys, ["/data/it's/a.json", '/data/b.json']);
    assert.equal(sql, `INSERT INTO staging_songs_load (num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name, song_id, title, duration, year)
SELECT CAST(NULLIF(c0, '') AS INTEGER) AS num_songs, c1 AS artist_id, c2 AS artist_latitude, c3 AS artist_longitude, c4 AS artist_location, c5 AS artist_name, c6 AS song_id, c7 AS title, c8 AS duration, CAST(NULLIF(c9, '') AS INTEGER) AS year
FROM (SELECT "num_songs" AS c0, "artist_id" AS c1, "artist_latitude" AS c2, "artist_longitude" AS c3, "artist_location" AS c4, "artist_name" AS c5, "song_id" AS c6, "title" AS c7, "duration" AS c8, "year" AS c9
      FROM read_json(['/data/it''s/a.json', '/data/b.json'], format = 'newline_delimited', compression = 'uncompressed', columns = {"num_songs": 'VARCHAR', "artist_id": 'VARCHAR', "artist_latitude": 'DOUBLE', "artist_longitude": 'DOUBLE', "artist_location": 'VARCHAR', "artist_name": 'VARCHAR', "song_id": 'VARCHAR', "title": 'VARCHAR', "duration": 'DOUBLE', "year": 'VARCHAR'}))`);
  });

  test('formats it cannot express: none', () => {
    assert.equal(directJsonKeys(stagingSongs.columns, { mode: 'auto ignorecase' }, undefined), undefined);
    const nested = JSON.stringify({ jsonpaths: stagingSongs.columns.map((c, i) => (i === 0 ? "$['a']['b']" : `$['${c.name}']`)) });
    assert.equal(directJsonKeys(stagingSongs.columns, { mode: 'jsonpaths', url: 'p' }, nested), undefined);
    const cased = JSON.stringify({ jsonpaths: stagingSongs.columns.map((c, i) => (i === 1 ? "$['NUM_SONGS']" : `$['${c.name}']`)) });
    assert.equal(directJsonKeys(stagingSongs.columns, { mode: 'jsonpaths', url: 'p' }, cased), undefined);
    const quoted = JSON.stringify({ jsonpaths: stagingSongs.columns.map((c, i) => (i === 1 ? `$['a"b']` : `$['${c.name}']`)) });
    assert.equal(directJsonKeys(stagingSongs.columns, { mode: 'jsonpaths', url: 'p' }, quoted), undefined);
  });

  test('object URLs it reads as written', () => {
    assert.ok(directlyReadable('s3://bucket/log_data/2018/11/2018-11-01-events.json'));
    assert.ok(directlyReadable('/tmp/x/song_data/A/B/TRAAA.json'));
    for (const url of ['s3://b/a*.json', 's3://b/a?.json', 's3://b/[a].json', 's3://b/a b.json', 's3://b/a%20.json', 's3://b/x.json.gz', '/tmp/x.zst']) assert.equal(directlyReadable(url), false, url);
  });
});
