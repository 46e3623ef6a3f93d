import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLakeEngine } from '../../src/engines/open-lake-engine.ts';
import type { LakeEngine } from '../../src/engines/lake-engine.ts';
import { testSparkRemote } from '../support/spark.ts';

/** The Spark engine's edges that the lake builds of the parity tests do not reach. */
test('Spark lake engine: empty tables write no partition (and an empty file unpartitioned), NULL goes to the Hive default folder, files are renamed', async (t) => {
  const remote = testSparkRemote(t);
  if (!remote) return;
  const dir = await mkdtemp(join(tmpdir(), 'sparkify-spark-lake-engine-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const engine: LakeEngine = await openLakeEngine('spark', { sparkRemote: remote });
  t.after(() => engine.close());

  assert.equal(await engine.createTable('nothing', 'SELECT CAST(1 AS INT) AS year, CAST(2 AS INT) AS month, \'x\' AS v WHERE false'), 0);
  assert.deepEqual(await engine.writeParquet('nothing', join(dir, 'nothing'), ['year', 'month'], 'part-r1'), []);
  const flat = await engine.writeParquet('nothing', join(dir, 'nothing-flat'), [], 'part-r1');
  assert.deepEqual(flat.map((f) => [f.path, f.rows]), [['part-r1-0.parquet', 0]]);

  assert.equal(await engine.createTable('some', "SELECT * FROM VALUES (2018, 'a', 1.5D), (2018, 'a', 2.5D), (NULL, 'b', 3.0D) AS t(year, artist_id, duration)"), 3);
  const files = await engine.writeParquet('some', join(dir, 'some'), ['year', 'artist_id'], 'part-r2');
  assert.deepEqual(files.map((f) => [f.path, f.rows]), [
    ['year=2018/artist_id=a/part-r2-0.parquet', 2],
    ['year=__HIVE_DEFAULT_PARTITION__/artist_id=b/part-r2-0.parquet', 1],
  ]);
  assert.ok(files.every((f) => f.bytes > 0));

  await engine.viewParquet('back', files.map((f) => join(dir, 'some', f.path)), [
    { name: 'duration', type: 'DOUBLE' }, { name: 'year', type: 'INT' }, { name: 'artist_id', type: 'STRING' },
  ], ['year', 'artist_id']);
  assert.deepEqual(await engine.query('SELECT duration, year, artist_id FROM back ORDER BY duration'), [
    { duration: 1.5, year: 2018, artist_id: 'a' }, { duration: 2.5, year: 2018, artist_id: 'a' }, { duration: 3, year: null, artist_id: 'b' },
  ]);
});
