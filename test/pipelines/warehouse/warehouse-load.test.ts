import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, test, type TestContext } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import { reconciles } from '../../../src/datasets/source-counts.ts';
import { PgliteEngine } from '../../../src/engines/pglite/pglite-engine.ts';
import { applyStarLoad } from '../../../src/pipelines/star-load/apply-star-load.ts';
import { planStarLoad } from '../../../src/pipelines/star-load/star-plan.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import type { S3Config } from '../../../src/storage/s3/s3-config.ts';
import { S3Store } from '../../../src/storage/s3/s3-store.ts';
import { applyWarehouseLoad } from '../../../src/pipelines/warehouse/apply-warehouse-load.ts';
import { planWarehouseLoad } from '../../../src/pipelines/warehouse/warehouse-plan.ts';
import { tableChecksums } from '../../../src/pipelines/warehouse/table-checksums.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { bucketStore, testBucket } from '../../support/s3.ts';
import { freshWarehouse, loadWarehouse, warehouseTargets } from '../../support/warehouse.ts';

const local = { songs: sample.songs, events: sample.logs, eventsFormat: sample.jsonPaths };
const counts = (rows: { table: string; rows: number }[]) => Object.fromEntries(rows.map((r) => [r.table, r.rows]));

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-warehouse-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

for (const target of warehouseTargets) {
  describe(`warehouse on ${target}`, () => {
    test('known answers on the course sample', async (t) => {
      if (!requireDataset(t, sample.songs)) return;
      const engine = await freshWarehouse(t, target);
      if (!engine) return;
      const result = await loadWarehouse(engine, target, local);
      assert.deepEqual(counts(result.staging), { staging_events: 8056, staging_songs: 71 });
      assert.deepEqual(counts(result.tables), { songplays: 6820, users: 96, songs: 71, artists: 69, time: 6813 });
      assert.deepEqual(result.sources.map((s) => [s.source, s.files, s.read, s.loaded, s.quarantined]), [
        ['staging_songs', 71, 71, 71, 0], ['staging_events', 30, 8056, 8056, 0],
      ]);
      assert.ok(result.sources.every(reconciles));
      assert.equal(result.plays, 6820);
      const matched = await engine.query(`
        SELECT sp.song_id, sp.artist_id, sp.session_id, sp.user_id, sp.level, u.first_name, u.last_name, s.title, a.name
        FROM songplays sp JOIN users u ON u.user_id = sp.user_id JOIN songs s ON s.song_id = sp.song_id JOIN artists a ON a.artist_id = sp.artist_id`);
      assert.deepEqual(matched, [{
        song_id: 'SOZCTXZ12AB0182364', artist_id: 'AR5KOSW1187FB35FF4', session_id: 818, user_id: 15, level: 'paid',
        first_name: 'Lily', last_name: 'Koch', title: 'Setanta matins', name: 'Elena',
      }]);
      // The Postgres model's rules: '' locations and year 0 become NULL; the id is sessionId:itemInSession:userId.
      const [rules] = await engine.query<Record<string, number>>(`SELECT
        (SELECT CAST(count(*) AS INTEGER) FROM artists WHERE location = '') AS empty_locations,
        (SELECT CAST(count(*) AS INTEGER) FROM songs WHERE year = 0) AS zero_years,
        (SELECT CAST(count(*) AS INTEGER) FROM songs WHERE year IS NULL) - (SELECT CAST(count(*) AS INTEGER) FROM staging_songs WHERE year = 0) AS null_years,
        (SELECT CAST(count(*) AS INTEGER) FROM songplays WHERE songplay_id <> CAST(session_id AS VARCHAR) || ':' || SPLIT_PART(songplay_id, ':', 2) || ':' || CAST(user_id AS VARCHAR)) AS bad_ids`);
      assert.deepEqual(rules, { empty_locations: 0, zero_years: 0, null_years: 0, bad_ids: 0 });
      // Row for row what the Postgres model (src/pipelines/star-load) makes of the same files.
      const model = await PgliteEngine.open();
      t.after(() => model.close());
      await applyStarLoad(await planStarLoad({ songsDir: sample.songs, logsDir: sample.logs, target: 'model', rejectsFile: '/dev/null' }), model, new MemoryQuarantine());
      assert.deepEqual(await tableChecksums(engine), await tableChecksums(model));
      assert.deepEqual(await engine.query('SELECT CAST(count(*) AS INTEGER) AS n FROM load_errors'), [{ n: 0 }]);
    });

    test('the same sample read through the S3 server, plain and gzip-compressed, gives the same tables', async (t) => {
      if (!requireDataset(t, sample.root)) return;
      const bucket = await testBucket(t);
      if (!bucket) return;
      const store = await bucketStore(t, bucket, { dir: sample.root, prefix: 'udacity-dend' });
      for (const o of await collectKeys(store, 'udacity-dend/log_data/')) {
        const chunks: Uint8Array[] = [];
        for await (const c of store.get(o)) chunks.push(c);
        await store.put(`gzipped/log_data/${o.split('/').pop()}.gz`, gzipSync(Buffer.concat(chunks)));
      }
      const fromDisk = await freshWarehouse(t, target);
      const fromS3 = await freshWarehouse(t, target);
      const fromGzip = await freshWarehouse(t, target);
      if (!fromDisk || !fromS3 || !fromGzip) return;
      await loadWarehouse(fromDisk, target, local);
      const s3 = await loadWarehouse(fromS3, target, {
        songs: `${bucket.url}/udacity-dend/song_data`, events: `${bucket.url}/udacity-dend/log_data`, eventsFormat: `${bucket.url}/udacity-dend/log_json_path.json`,
      }, bucket.config);
      assert.deepEqual(counts(s3.staging), { staging_events: 8056, staging_songs: 71 });
      const gz = await loadWarehouse(fromGzip, target, {
        songs: `${bucket.url}/udacity-dend/song_data`, events: `${bucket.url}/gzipped/log_data`, eventsFormat: `${bucket.url}/udacity-dend/log_json_path.json`,
      }, bucket.config);
      assert.equal(gz.sources[1]?.files, 30);
      const expected = await tableChecksums(fromDisk);
      assert.deepEqual(await tableChecksums(fromS3), expected);
      assert.deepEqual(await tableChecksums(fromGzip), expected);
    });

    test('past MAXERROR the load fails, the previous tables stay, and load_errors says why', async (t) => {
      if (!requireDataset(t, sample.songs)) return;
      const engine = await freshWarehouse(t, target);
      if (!engine) return;
      await loadWarehouse(engine, target, local);
      const before = await tableChecksums(engine, ['songplays', 'users', 'songs', 'artists', 'time', 'staging_events', 'staging_songs']);

      const dir = await tempDir(t);
      await cp(sample.logs, join(dir, 'logs'), { recursive: true });
      const day = join(dir, 'logs', '2018', '11', '2018-11-05-events.json');
      const lines = (await readFile(day, 'utf8')).split('\n');
      lines.splice(2, 0, lines[2]?.replace(/"ts":\d+/, '"ts":"yesterday"') ?? '', '{"not json');
      await writeFile(day, lines.join('\n'));
      const bad = { ...local, events: join(dir, 'logs') };

      await assert.rejects(loadWarehouse(engine, target, bad, undefined, 'failed-load'), (e: unknown) =>
        e instanceof SparkifyError && e.code === 'SPK_E_LOAD_FAILED' && /COPY staging_events rejected more than MAXERROR 0 records/.test(e.message)
        && e.message.includes(`${day}:3 column ts`));
      assert.deepEqual(await tableChecksums(engine, ['songplays', 'users', 'songs', 'artists', 'time', 'staging_events', 'staging_songs']), before);
      const rejected = await engine.query(`SELECT load_id, table_name, file, line, column_name, reason FROM load_errors ORDER BY line`);
      // The load stops in the chunk where MAXERROR is passed; that chunk's rejects (both lines here) are recorded.
      assert.deepEqual(rejected, [
        { load_id: 'failed-load', table_name: 'staging_events', file: day, line: 3, column_name: 'ts', reason: 'Invalid timestamp format or value [epochmillisecs], Value "yesterday"' },
        { load_id: 'failed-load', table_name: 'staging_events', file: day, line: 4, column_name: '', reason: 'unterminated string (line break inside a JSON string)' },
      ]);
      assert.deepEqual(await engine.query(`SELECT CAST(count(*) AS INTEGER) AS n FROM information_schema.tables WHERE table_name LIKE '%_load'`), [{ n: 0 }]);

      const tolerated = await loadWarehouse(engine, target, { ...bad, maxErrors: 2 }, undefined, 'tolerant-load');
      assert.deepEqual(tolerated.sources[1] && [tolerated.sources[1].read, tolerated.sources[1].loaded, tolerated.sources[1].quarantined], [8058, 8056, 2]);
      assert.ok(tolerated.sources.every(reconciles));
      assert.deepEqual(await engine.query(`SELECT line, column_name FROM load_errors WHERE load_id = 'tolerant-load' ORDER BY line`), [
        { line: 3, column_name: 'ts' }, { line: 4, column_name: '' },
      ]);
      assert.deepEqual(await tableChecksums(engine, ['songplays', 'users', 'songs', 'artists', 'time']), before.slice(0, 5));
    });

    test('deeply nested JSON (5,000 levels) in logs and song files is rejected with a reason, never a crash', async (t) => {
      if (!requireDataset(t, sample.songs)) return;
      const engine = await freshWarehouse(t, target);
      if (!engine) return;
      const dir = await tempDir(t);
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const day = join(sample.logs, '2018', '11', '2018-11-01-events.json');
      const lines = (await readFile(day, 'utf8')).split('\n').filter(Boolean).slice(0, 3);
      await mkdir(join(dir, 'logs'));
      await mkdir(join(dir, 'songs'));
      await writeFile(join(dir, 'logs', 'events.json'), [lines[0], lines[1]?.replace('"artist":', `"artist":${deep},"was":`), `{"a":${deep}}`, lines[2]].join('\n'));
      const song = await readFile(join(sample.songs, 'A', 'A', 'A', 'TRAAAAW128F429D538.json'), 'utf8');
      await writeFile(join(dir, 'songs', 'songs.json'), `${song.trim()}\n{"artist_name":${deep},"song_id":"SODEEP"}\n`);
      const result = await loadWarehouse(engine, target, { songs: join(dir, 'songs'), events: join(dir, 'logs'), eventsFormat: sample.jsonPaths, maxErrors: 5 }, undefined, 'deep');
      assert.deepEqual(result.sources.map((s) => [s.source, s.read, s.loaded, s.quarantined]), [['staging_songs', 2, 1, 1], ['staging_events', 4, 3, 1]]);
      assert.deepEqual(await engine.query(`SELECT table_name, line, column_name, reason FROM load_errors WHERE load_id = 'deep' ORDER BY table_name, line`), [
        { table_name: 'staging_events', line: 2, column_name: 'artist', reason: 'JSON nested deeper than 1000 levels' },
        { table_name: 'staging_songs', line: 2, column_name: 'artist_name', reason: 'JSON nested deeper than 1000 levels' },
      ]);
    });

    test('lone surrogates (stored as U+FFFD) and a BOM are counted as repaired, CRLF is not: fast paths off, on, with workers, from a directory and from S3', async (t) => {
      if (!requireDataset(t, sample.jsonPaths)) return;
      const engine = await freshWarehouse(t, target);
      if (!engine) return;
      const bucket = await testBucket(t);
      if (!bucket) return;
      const dir = await repairsDir(t);
      await bucketStore(t, bucket, { dir, prefix: 'repairs' });
      for (const [from, s3] of [[dir, undefined], [`${bucket.url}/repairs`, bucket.config]] as const) {
        for (const [fastPaths, workers] of [[false, undefined], [true, undefined], [true, 2]] as const) {
          const how = `${from}, fast paths ${fastPaths ? 'on' : 'off'}${workers ? ', 2 workers' : ''}`;
          const plan = planWarehouseLoad({ target, maxErrors: 0, songs: `${from}/song_data`, events: `${from}/log_data`, eventsFormat: sample.jsonPaths, fastPaths });
          const result = await applyWarehouseLoad(plan, engine, { open: (l) => openStore(l, s3 ?? ({ region: 'us-east-1' } satisfies S3Config)), loadId: 'repairs', concurrency: 4, ...(workers ? { workers } : {}) });
          assert.deepEqual(result.sources.map((s) => [s.source, s.read, s.loaded, s.quarantined, s.repaired]), [
            ['staging_songs', 3, 3, 0, 2], ['staging_events', 7, 7, 0, 2],
          ], how);
          // DuckDB refuses a lone surrogate ("no low surrogate in string"): the records are converted here instead.
          if (target === 'duckdb' && fastPaths && s3 === undefined) {
            assert.deepEqual(result.reads.map((r) => r.path), ['converted', 'converted'], how);
            assert.match(result.reads[1]?.declined ?? '', /surrogate in string/, how);
          }
          const eventRows: { artist: string; firstname: string; song: string }[] = await engine.query("SELECT artist, firstname, song FROM staging_events WHERE artist <> 'A' ORDER BY artist");
          assert.deepEqual(eventRows, [
            { artist: 'Bj\ufffdrk', firstname: 'F', song: 'S' }, { artist: 'C', firstname: '\ufffd', song: 'x\ufffd' }, { artist: '\ud83d\ude00', firstname: 'F', song: 'S' },
          ], how);
          const songRows: { song_id: string; artist_name: string }[] = await engine.query('SELECT song_id, artist_name FROM staging_songs ORDER BY song_id');
          assert.deepEqual(songRows, [{ song_id: 'SO1', artist_name: 'A\ufffd' }, { song_id: 'SO2', artist_name: 'A' }, { song_id: 'SO3', artist_name: 'A' }], how);
        }
      }
    });

    test('a repeated event key and a repeated song_id are reported as duplicates collapsed, true to the tables', async (t) => {
      if (!requireDataset(t, sample.songs)) return;
      const engine = await freshWarehouse(t, target);
      if (!engine) return;
      const dir = await tempDir(t);
      await cp(sample.logs, join(dir, 'logs'), { recursive: true });
      await cp(sample.songs, join(dir, 'songs'), { recursive: true });
      const day = (await readFile(join(sample.logs, '2018', '11', '2018-11-05-events.json'), 'utf8')).split('\n');
      await writeFile(join(dir, 'logs', 'again.json'), day.find((l) => l.includes('"page":"NextSong"')) as string);
      const song = await readFile(join(sample.songs, 'A', 'A', 'A', 'TRAAAAW128F429D538.json'), 'utf8');
      await writeFile(join(dir, 'songs', 'zz-again.json'), song);
      const result = await loadWarehouse(engine, target, { ...local, songs: join(dir, 'songs'), events: join(dir, 'logs') });
      assert.deepEqual(counts(result.staging), { staging_events: 8057, staging_songs: 72 });
      assert.equal(result.plays, 6821);
      assert.deepEqual(result.duplicates, { plays: 1, songs: 1 });
      assert.deepEqual({ songplays: counts(result.tables).songplays, songs: counts(result.tables).songs }, { songplays: 6820, songs: 71 });
    });

    test('loading the same sources again leaves identical tables', async (t) => {
      if (!requireDataset(t, sample.songs)) return;
      const engine = await freshWarehouse(t, target);
      if (!engine) return;
      await loadWarehouse(engine, target, local);
      const first = await tableChecksums(engine);
      await loadWarehouse(engine, target, local);
      assert.deepEqual(await tableChecksums(engine), first);
    });

    test('the large song sample: every object staged, counts reconcile', async (t) => {
      if (!requireDataset(t, sample.largeSongs)) return;
      const engine = await freshWarehouse(t, target);
      if (!engine) return;
      const result = await loadWarehouse(engine, target, { ...local, songs: sample.largeSongs });
      const [songs] = result.sources;
      assert.deepEqual(songs && [songs.files, songs.read, songs.loaded, songs.quarantined], [1943, 1944, 1944, 0]);
      assert.ok(result.sources.every(reconciles));
      const [distinct] = await engine.query<{ songs: number; artists: number }>(
        'SELECT CAST(count(DISTINCT song_id) AS INTEGER) AS songs, CAST(count(DISTINCT artist_id) AS INTEGER) AS artists FROM staging_songs');
      assert.equal(counts(result.tables).songs, distinct?.songs);
      assert.equal(counts(result.tables).artists, distinct?.artists);
      assert.equal(counts(result.tables).songplays, 6820);
      // Artists named 112 and 2562 are JSON numbers in the files: COPY takes their text.
      assert.deepEqual(await engine.query("SELECT name FROM artists WHERE name IN ('112', '2562') ORDER BY name"), [{ name: '112' }, { name: '2562' }]);
    });
  });
}

/**
 * Logs and songs with the repairs COPY makes: lone surrogates in text columns (JSON escapes, as files hold them: no
 * UTF-8 spells one), a BOM; CRLF line endings and a lone surrogate in a key no column reads are no repair.
 */
async function repairsDir(t: TestContext): Promise<string> {
  const dir = await tempDir(t);
  const event = (n: number, fields = '"artist":"A","auth":"Logged In","firstName":"F"') =>
    `{${fields},"gender":"M","itemInSession":${n},"lastName":"L","length":200.5,"level":"free","location":"X","method":"PUT","page":"NextSong","registration":1540919166796.0,"sessionId":1,"song":"S","status":200,"ts":1541903636796,"userAgent":"U","userId":"15"}`;
  const song = (id: string, artist = 'A') => `{"num_songs":1,"artist_id":"AR1","artist_latitude":null,"artist_longitude":null,"artist_location":"","artist_name":"${artist}","song_id":"${id}","title":"T","duration":200.5,"year":0}`;
  await mkdir(join(dir, 'log_data', '2018'), { recursive: true });
  await mkdir(join(dir, 'song_data', 'A'), { recursive: true });
  await writeFile(join(dir, 'log_data', '2018', 'lone.json'), [
    event(0, '"artist":"Bj\\ud800rk","auth":"Logged In","firstName":"F"'),
    event(1),
    event(2, '"artist":"C","auth":"Logged In","firstName":"\\ud83d"').replace('"song":"S"', '"song":"x\\udfff"'),
    event(3, '"note":"\\ud800","artist":"A","auth":"Logged In","firstName":"F"'),
    event(4, '"artist":"\\ud83d\\ude00","auth":"Logged In","firstName":"F"'),
  ].join('\n'));
  await writeFile(join(dir, 'log_data', '2018', 'crlf.json'), `${event(5)}\r\n${event(6)}\r\n`);
  await writeFile(join(dir, 'song_data', 'A', 'lone.json'), song('SO1', 'A\\ud800'));
  await writeFile(join(dir, 'song_data', 'A', 'bom.json'), `\ufeff${song('SO2')}\n`);
  await writeFile(join(dir, 'song_data', 'A', 'crlf.json'), `${song('SO3')}\r\n`);
  return dir;
}

async function collectKeys(store: S3Store, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(prefix)) keys.push(o.key);
  return keys;
}
