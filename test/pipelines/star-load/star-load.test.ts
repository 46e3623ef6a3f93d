import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SparkifyError } from '../../../src/core/errors.ts';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import { reconciles } from '../../../src/datasets/source-counts.ts';
import { applyStarLoad } from '../../../src/pipelines/star-load/apply-star-load.ts';
import { planStarLoad } from '../../../src/pipelines/star-load/star-plan.ts';
import { countStarTables } from '../../../src/pipelines/star-load/star-queries.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { engineKinds, freshEngine, tableChecksums } from '../../support/engines.ts';

const plan = (songsDir = sample.songs, logsDir = sample.logs) =>
  planStarLoad({ songsDir, logsDir, target: 'test', rejectsFile: '/dev/null' });

const orderBy = { songplays: 'songplay_id', users: 'user_id', songs: 'song_id', artists: 'artist_id', time: 'start_time' };
const checksums: Partial<Record<(typeof engineKinds)[number], Record<string, string>>> = {};

for (const kind of engineKinds) {
  describe(`star schema on ${kind}`, () => {
    test('known answers on the course sample', async (t) => {
      if (!requireDataset(t, sample.songs)) return;
      const engine = await freshEngine(t, kind);
      if (!engine) return;
      const quarantine = new MemoryQuarantine();
      const result = await applyStarLoad(await plan(), engine, quarantine);

      assert.deepEqual(Object.fromEntries(result.tables.map((r) => [r.table, r.rows])), {
        songplays: 6820, users: 96, songs: 71, artists: 69, time: 6813,
      });
      const [songs, logs] = result.sources;
      assert.deepEqual({ read: songs?.read, loaded: songs?.loaded, quarantined: songs?.quarantined }, { read: 71, loaded: 71, quarantined: 0 });
      assert.deepEqual({ read: logs?.read, loaded: logs?.loaded, filtered: logs?.filtered, quarantined: logs?.quarantined }, { read: 8056, loaded: 6820, filtered: 1236, quarantined: 0 });
      assert.ok(result.sources.every(reconciles));

      const matched = await engine.query(`
        SELECT sp.song_id, sp.artist_id, sp.session_id, sp.user_id, sp.level, u.first_name, u.last_name, s.title, a.name
        FROM songplays sp JOIN users u USING (user_id) JOIN songs s USING (song_id) JOIN artists a ON a.artist_id = sp.artist_id`);
      assert.deepEqual(matched, [{
        song_id: 'SOZCTXZ12AB0182364', artist_id: 'AR5KOSW1187FB35FF4', session_id: 818, user_id: 15, level: 'paid',
        first_name: 'Lily', last_name: 'Koch', title: 'Setanta matins', name: 'Elena',
      }]);
      checksums[kind] = await tableChecksums(engine, orderBy);
    });

    test('re-running the same input leaves identical tables', async (t) => {
      if (!requireDataset(t, sample.songs)) return;
      const engine = await freshEngine(t, kind);
      if (!engine) return;
      const p = await plan();
      await applyStarLoad(p, engine, new MemoryQuarantine());
      const first = await tableChecksums(engine, orderBy);
      await applyStarLoad(p, engine, new MemoryQuarantine());
      assert.deepEqual(await tableChecksums(engine, orderBy), first);
    });

    test('a failed load leaves the previous state intact', async (t) => {
      if (!requireDataset(t, sample.songs)) return;
      const engine = await freshEngine(t, kind);
      if (!engine) return;
      await applyStarLoad(await plan(), engine, new MemoryQuarantine());
      const before = await tableChecksums(engine, orderBy);

      // A log file that disappears between planning and loading fails the load after songs were staged.
      const dir = await mkdtemp(join(tmpdir(), 'sparkify-star-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      await cp(sample.logs, join(dir, 'logs'), { recursive: true });
      await cp(sample.songs, join(dir, 'songs'), { recursive: true });
      await rm(join(dir, 'songs', 'A', 'A', 'A'), { recursive: true });
      const doomed = await plan(join(dir, 'songs'), join(dir, 'logs'));
      await rm(doomed.logs.files[doomed.logs.files.length - 1] as string);
      await assert.rejects(applyStarLoad(doomed, engine, new MemoryQuarantine()), (e: unknown) => e instanceof SparkifyError && e.code === 'SPK_E_INPUT_UNREADABLE');
      assert.deepEqual(await tableChecksums(engine, orderBy), before);
    });

    test('a repeated event key and a repeated song_id are counted as duplicates, true to the tables, on a first load and a re-load', async (t) => {
      if (!requireDataset(t, sample.songs)) return;
      const engine = await freshEngine(t, kind);
      if (!engine) return;
      const dir = await mkdtemp(join(tmpdir(), 'sparkify-star-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      await cp(sample.logs, join(dir, 'logs'), { recursive: true });
      await cp(sample.songs, join(dir, 'songs'), { recursive: true });
      // The same event twice (another file, another level): one songplay, one duplicate.
      const day = join(dir, 'logs', '2018', '11', '2018-11-05-events.json');
      const play = (await readFile(day, 'utf8')).split('\n').find((l) => l.includes('"page":"NextSong"')) as string;
      await writeFile(join(dir, 'logs', 'repeat.json'), play.replace(/"level":"\w+"/, '"level":"repeat"'));
      // A song file whose song_id another file has: the latest record is kept, one duplicate.
      const song = await readFile(join(sample.songs, 'A', 'A', 'A', 'TRAAAAW128F429D538.json'), 'utf8');
      await writeFile(join(dir, 'songs', 'zz-repeat.json'), song.replace(/"title": "[^"]*"/, '"title": "Retitled"'));
      const p = await plan(join(dir, 'songs'), join(dir, 'logs'));
      for (const run of ['first load (bulk path)', 're-load (merge path)']) {
        const result = await applyStarLoad(p, engine, new MemoryQuarantine());
        const [songs, logs] = result.sources;
        const tables = Object.fromEntries(result.tables.map((r) => [r.table, r.rows]));
        assert.deepEqual({ read: songs?.read, loaded: songs?.loaded, duplicates: songs?.duplicates }, { read: 72, loaded: 71, duplicates: 1 }, run);
        assert.deepEqual({ read: logs?.read, loaded: logs?.loaded, filtered: logs?.filtered, duplicates: logs?.duplicates }, { read: 8057, loaded: 6820, filtered: 1236, duplicates: 1 }, run);
        assert.ok(result.sources.every(reconciles), run);
        assert.equal(tables.songplays, logs?.loaded, run);
        assert.equal(tables.songs, songs?.loaded, run);
      }
      const [kept] = await engine.query<{ title: string }>(`SELECT title FROM songs WHERE song_id = (SELECT song_id FROM songs WHERE title = 'Retitled')`);
      assert.equal(kept?.title, 'Retitled');
    });

    test('the large song sample: every object read, counts reconcile', async (t) => {
      if (!requireDataset(t, sample.largeSongs)) return;
      const engine = await freshEngine(t, kind);
      if (!engine) return;
      const quarantine = new MemoryQuarantine();
      const p = await plan(sample.largeSongs);
      const result = await applyStarLoad(p, engine, quarantine);
      const [songs] = result.sources;
      assert.equal(p.songs.files.length, 1943);
      // 1943 files, one of which holds two objects.
      assert.equal(songs?.read, 1944);
      assert.equal(songs?.quarantined, 0, JSON.stringify(quarantine.records.slice(0, 3)));
      // Artists named 112 and 2562 (and two locations) are JSON numbers in the files: taken as text, not lost.
      assert.equal(songs?.repaired, 4);
      assert.ok(result.sources.every(reconciles));
      const tables = Object.fromEntries((await countStarTables(engine)).map((r) => [r.table, r.rows]));
      const [distinct] = await engine.query<{ songs: number; artists: number }>(
        'SELECT count(DISTINCT song_id)::int AS songs, count(DISTINCT artist_id)::int AS artists FROM songs');
      assert.equal(tables.songs, distinct?.songs);
      assert.equal(tables.songplays, 6820);
      const [twoObjectFile] = await engine.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM songs WHERE song_id IN ('SOBLFFE12AF72AA5BA', 'SOQPWCR12A6D4FB2A3')`);
      assert.equal(twoObjectFile?.n, 2);
    });
  });
}

test('PGlite and Postgres hold identical tables after the same load', (t) => {
  if (!checksums.pglite || !checksums.postgres) {
    if (process.env.CI === 'true') assert.fail('both engines must have loaded the sample');
    t.skip('needs both engines');
    return;
  }
  assert.deepEqual(checksums.pglite, checksums.postgres);
});
