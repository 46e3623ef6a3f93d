import assert from 'node:assert/strict';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { MemoryQuarantine } from '../../../src/datasets/quarantine.ts';
import type { SqlEngine } from '../../../src/engines/engine.ts';
import { applyStarLoad, type StarLoadResult } from '../../../src/pipelines/star-load/apply-star-load.ts';
import { planStarLoad, type PlayPath } from '../../../src/pipelines/star-load/star-plan.ts';
import { tempDir } from '../../datasets/corpus.ts';
import { requireDataset, sample } from '../../support/datasets.ts';
import { engineKinds, freshEngine, tableChecksums } from '../../support/engines.ts';

// The first load into an empty schema takes the bulk path (plays COPYed straight into songplays, its key added
// after); every later load the merge path (plays staged, merged with ON CONFLICT, earlier plays re-matched). These
// tests hold the two paths to the same rules.

const orderBy = { songplays: 'songplay_id', users: 'user_id', songs: 'song_id', artists: 'artist_id', time: 'start_time' };

async function load(engine: SqlEngine, songsDir: string, logsDir: string, workers?: number | PlayPath): Promise<StarLoadResult & { rejects: MemoryQuarantine['records'] }> {
  const quarantine = new MemoryQuarantine();
  const plan = await planStarLoad({ songsDir, logsDir, target: 'test', rejectsFile: '/dev/null' });
  // A path of its own (the plan's): the worker threads' byte scanner on JavaScript even where WebAssembly is built.
  if (typeof workers === 'object') plan.plays = workers;
  const result = await applyStarLoad(plan, engine, quarantine, undefined, undefined, typeof workers === 'number' ? { workers } : {});
  return { ...result, rejects: quarantine.records };
}

const song = (id: string, title: string, artist: string, duration: number) => JSON.stringify({
  num_songs: 1, artist_id: `AR${id}`, artist_latitude: null, artist_longitude: null, artist_location: '', artist_name: artist,
  song_id: `SO${id}`, title, duration, year: 2000,
});

const play = (over: Record<string, unknown>) => JSON.stringify({
  artist: 'Muse', auth: 'Logged In', firstName: 'Ann', gender: 'F', itemInSession: 0, lastName: 'Lee', length: 200.5,
  level: 'free', location: 'Here', method: 'PUT', page: 'NextSong', registration: 1540919166796, sessionId: 7,
  song: 'Uprising', status: 200, ts: 1541106106796, userAgent: 'UA', userId: '5', ...over,
});

async function dataset(t: TestContext, songs: string[], days: string[][]): Promise<{ songs: string; logs: string }> {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'songs'));
  await mkdir(join(dir, 'logs'));
  for (const [i, s] of songs.entries()) await writeFile(join(dir, 'songs', `TR${i}.json`), s);
  for (const [i, lines] of days.entries()) await writeFile(join(dir, 'logs', `2018-11-${String(i + 1).padStart(2, '0')}-events.json`), `${lines.join('\n')}\n`);
  return { songs: join(dir, 'songs'), logs: join(dir, 'logs') };
}

// The plays' paths a load can take: this thread (the reference), worker threads with the byte scanner on WebAssembly
// (when built, else JavaScript) and on JavaScript.
const playPaths: [string, number | PlayPath][] = [
  ['this thread', 0], ['workers', 2], ['workers, JavaScript scan', { workers: 2, scan: 'javascript', readAhead: true }],
];

for (const kind of engineKinds) {
  describe(`star load paths on ${kind}`, () => {
    test('a repeated event makes one play on either path: the first in input order, then the one already loaded', async (t) => {
      const engine = await freshEngine(t, kind);
      if (!engine) return;
      const first = await dataset(t, [song('1', 'Uprising', 'Muse', 200.5)], [
        [play({ location: 'first' }), play({ itemInSession: 1, ts: 1541106306796 })],
        [play({ location: 'repeat', level: 'paid' }), play({ location: 'repeat, later', ts: 1541106111796 })],
      ]);
      const bulk = await load(engine, first.songs, first.logs);
      assert.deepEqual(bulk.tables.find((x) => x.table === 'songplays')?.rows, 2);
      // Every NextSong event's timestamp is in time, a repeat's too (as the warehouse has it).
      assert.deepEqual(bulk.tables.find((x) => x.table === 'time')?.rows, 3);
      assert.deepEqual(await engine.query("SELECT location, level, song_id FROM songplays WHERE songplay_id = '7:0:5'"),
        [{ location: 'first', level: 'free', song_id: 'SO1' }]);
      const second = await dataset(t, [song('1', 'Uprising', 'Muse', 200.5)], [[play({ location: 'later' }), play({ location: 'later again', ts: 1541106116796 })]]);
      const merged = await load(engine, second.songs, second.logs);
      assert.deepEqual(merged.tables.find((x) => x.table === 'time')?.rows, 4);
      assert.deepEqual(await engine.query("SELECT location FROM songplays WHERE songplay_id = '7:0:5'"), [{ location: 'first' }]);
      assert.deepEqual(await engine.query('SELECT count(*)::int AS n FROM songplays'), [{ n: 2 }]);
      // The key is back after the bulk path's duplicate removal.
      await assert.rejects(engine.query("INSERT INTO songplays (songplay_id, start_time, user_id, level, session_id) VALUES ('7:0:5', now(), 5, 'free', 7)"));
      // The same timestamp in both files of the first load: time's key is back too, after the same removal.
      await assert.rejects(engine.query("INSERT INTO time SELECT * FROM time WHERE start_time = '2018-11-01 21:01:46.796'"));
      assert.deepEqual(await engine.query("SELECT hour, day, week, month, year, weekday FROM time WHERE start_time = '2018-11-01 21:01:46.796'"),
        [{ hour: 21, day: 1, week: 44, month: 11, year: 2018, weekday: 4 }]);
    });

    test('plays loaded before their song was in the catalog are matched when the events are loaded again', async (t) => {
      const engine = await freshEngine(t, kind);
      if (!engine) return;
      const logs = [[play({}), play({ itemInSession: 1, song: 'Starlight', length: 240.2, ts: 1541106306796 })]];
      const early = await dataset(t, [song('1', 'Uprising', 'Muse', 200.5)], logs);
      await load(engine, early.songs, early.logs);
      const matched = () => engine.query('SELECT songplay_id, song_id, artist_id FROM songplays ORDER BY songplay_id');
      assert.deepEqual(await matched(), [
        { songplay_id: '7:0:5', song_id: 'SO1', artist_id: 'AR1' },
        { songplay_id: '7:1:5', song_id: null, artist_id: null },
      ]);
      const full = await dataset(t, [song('1', 'Uprising', 'Muse', 200.5), song('2', 'Starlight', 'Muse', 240.2)], logs);
      await load(engine, full.songs, full.logs);
      assert.deepEqual(await matched(), [
        { songplay_id: '7:0:5', song_id: 'SO1', artist_id: 'AR1' },
        { songplay_id: '7:1:5', song_id: 'SO2', artist_id: 'AR2' },
      ]);
    });

    // One artist id spelled three ways in three song files: `artists` keeps one name, but a play matches the song whose
    // own record spells the artist as the play does (the course's staging_events-to-staging_songs join).
    for (const [where, workers] of playPaths) {
      test(`a play matches the song its own record describes, whichever spelling artists kept (${where}, first load and re-load)`, async (t) => {
        const engine = await freshEngine(t, kind);
        if (!engine) return;
        const band = (id: string, title: string, name: string, duration: number, location = '') =>
          JSON.stringify({ ...JSON.parse(song(id, title, name, duration)), artist_id: 'ARBAND', artist_location: location });
        const songs = [
          band('1', 'The Weight', 'The Band', 275.5, 'Woodstock, NY'),
          band('2', 'Stage Fright', 'Band, The', 220.25),
          band('3', 'Ophelia', 'Band The', 200.5),
          // A duplicated song_id keeps its latest record (TR4 after TR3): the play matches that record's spelling.
          band('4', 'Acadian Driftwood', 'The Band', 401.5),
          band('4', 'Acadian Driftwood', 'Band, The', 401.5),
          // Two songs with the same title, spelling and duration: the smallest song_id.
          band('6', 'Twice', 'Band, The', 100.5),
          band('5', 'Twice', 'Band, The', 100.5),
        ];
        const plays = [
          play({ itemInSession: 0, song: 'The Weight', artist: 'The Band', length: 275.5 }),
          play({ itemInSession: 1, song: 'Stage Fright', artist: 'Band, The', length: 220.25 }),
          play({ itemInSession: 2, song: 'Ophelia', artist: 'Band The', length: 200.5 }),
          // The kept spelling, for songs whose own records spell the artist otherwise: no match.
          play({ itemInSession: 3, song: 'Stage Fright', artist: 'The Band', length: 220.25 }),
          play({ itemInSession: 4, song: 'Acadian Driftwood', artist: 'The Band', length: 401.5 }),
          play({ itemInSession: 5, song: 'Acadian Driftwood', artist: 'Band, The', length: 401.5 }),
          play({ itemInSession: 6, song: 'Twice', artist: 'Band, The', length: 100.5 }),
        ];
        const expected = [
          { songplay_id: '7:0:5', song_id: 'SO1', artist_id: 'ARBAND' },
          { songplay_id: '7:1:5', song_id: 'SO2', artist_id: 'ARBAND' },
          { songplay_id: '7:2:5', song_id: 'SO3', artist_id: 'ARBAND' },
          { songplay_id: '7:3:5', song_id: null, artist_id: null },
          { songplay_id: '7:4:5', song_id: null, artist_id: null },
          { songplay_id: '7:5:5', song_id: 'SO4', artist_id: 'ARBAND' },
          { songplay_id: '7:6:5', song_id: 'SO5', artist_id: 'ARBAND' },
        ];
        const matched = () => engine.query('SELECT songplay_id, song_id, artist_id FROM songplays ORDER BY songplay_id');
        // The songs first, the plays in a later load: the catalog of earlier loads keeps each record's own spelling.
        const early = await dataset(t, songs, [[play({ sessionId: 1, song: 'Nothing', artist: 'Nobody' })]]);
        await load(engine, early.songs, early.logs, workers);
        assert.deepEqual(await engine.query("SELECT name FROM artists WHERE artist_id = 'ARBAND'"), [{ name: 'The Band' }]);
        const later = await dataset(t, [song('9', 'Other', 'Someone', 1.5)], [plays]);
        await load(engine, later.songs, later.logs, workers);
        assert.deepEqual((await matched()).filter((p) => p['songplay_id'] !== '1:0:5'), expected);
        // Loaded again with the songs, on the merge path: the same matches, nothing re-matched to the kept spelling.
        const both = await dataset(t, songs, [plays]);
        await load(engine, both.songs, both.logs, workers);
        assert.deepEqual((await matched()).filter((p) => p['songplay_id'] !== '1:0:5'), expected);
      });
    }

    for (const [where, workers] of playPaths) {
      test(`a lone surrogate in a play's text is stored as U+FFFD and counted as repaired; a pair is loaded as it is (${where})`, async (t) => {
        const engine = await freshEngine(t, kind);
        if (!engine) return;
        // Escaped as the course's files escape (the byte paths take escaped text only).
        const lines = [play({}), play({ itemInSession: 1, location: 'Zu\ud800rich' }), play({ itemInSession: 2, userAgent: 'a\ud83d\ude00b' }).replace('😀', '\\ud83d\\ude00')];
        const data = await dataset(t, [song('1', 'Uprising', 'Muse', 200.5)], [lines]);
        const result = await load(engine, data.songs, data.logs, workers);
        const logs = result.sources[1];
        assert.deepEqual(logs && [logs.read, logs.loaded, logs.repaired, logs.quarantined], [3, 3, 1, 0]);
        assert.deepEqual(await engine.query('SELECT location, user_agent FROM songplays ORDER BY songplay_id'), [
          { location: 'Here', user_agent: 'UA' }, { location: 'Zu\ufffdrich', user_agent: 'UA' }, { location: 'Here', user_agent: 'a😀b' },
        ]);
      });
    }

    test('songs loaded before song_artist_names existed get their artist\'s kept name, until their records are loaded again', async (t) => {
      const engine = await freshEngine(t, kind);
      if (!engine) return;
      // Artist AR1 is kept as 'Muse' (the record with a location); SO2's own record spells it 'MUSE'.
      const songs = [JSON.stringify({ ...JSON.parse(song('1', 'Uprising', 'Muse', 200.5)), artist_location: 'Teignmouth' }),
        JSON.stringify({ ...JSON.parse(song('2', 'Starlight', 'MUSE', 240.2)), artist_id: 'AR1' })];
      const first = await dataset(t, songs, [[play({ sessionId: 1 })]]);
      await load(engine, first.songs, first.logs);
      await engine.exec('DROP TABLE song_artist_names');
      const plays = [play({ artist: 'MUSE', song: 'Starlight', length: 240.2 }), play({ itemInSession: 1, artist: 'Muse', song: 'Starlight', length: 240.2 })];
      const later = await dataset(t, [song('9', 'Other', 'Someone', 1.5)], [plays]);
      await load(engine, later.songs, later.logs);
      assert.deepEqual(await engine.query('SELECT song_id, artist_name FROM song_artist_names ORDER BY song_id'),
        [{ song_id: 'SO1', artist_name: 'Muse' }, { song_id: 'SO2', artist_name: 'Muse' }, { song_id: 'SO9', artist_name: 'Someone' }]);
      assert.deepEqual(await engine.query("SELECT songplay_id, song_id FROM songplays WHERE session_id = 7 ORDER BY songplay_id"),
        [{ songplay_id: '7:0:5', song_id: null }, { songplay_id: '7:1:5', song_id: 'SO2' }]);
      const again = await dataset(t, songs, [plays]);
      await load(engine, again.songs, again.logs);
      assert.deepEqual(await engine.query("SELECT artist_name FROM song_artist_names WHERE song_id = 'SO2'"), [{ artist_name: 'MUSE' }]);
      // (A play matched before keeps its match: a re-load re-matches unmatched plays only, 09-songplays-rematch.sql.)
      assert.deepEqual(await engine.query("SELECT song_id FROM songplays WHERE songplay_id = '7:0:5'"), [{ song_id: 'SO2' }]);
    });

    test("a user's level is their latest play's, on a tie the first in input order, and an older load never overwrites it", async (t) => {
      const engine = await freshEngine(t, kind);
      if (!engine) return;
      const data = await dataset(t, [song('1', 'Uprising', 'Muse', 200.5)], [
        [play({ level: 'free', ts: 1541106106796 }), play({ itemInSession: 3, level: 'paid', ts: 1541106406796 })],
        // Same ts, higher item first in the file: item order decides, not file order.
        [play({ sessionId: 9, itemInSession: 1, level: 'free', lastName: 'Old', ts: 1541200000000 }),
          play({ sessionId: 9, itemInSession: 2, level: 'paid', lastName: 'New', ts: 1541200000000 }),
          play({ sessionId: 9, itemInSession: 0, level: 'free', lastName: 'Older', ts: 1541200000000 })],
        // A full tie with the latest (a repeated event): the first in input order stays.
        [play({ sessionId: 9, itemInSession: 2, level: 'free', lastName: 'Tie', ts: 1541200000000 })],
      ]);
      await load(engine, data.songs, data.logs);
      const user = () => engine.query('SELECT last_name, level, level_at FROM users WHERE user_id = 5');
      assert.deepEqual((await user()).map((u) => [u['last_name'], u['level']]), [['New', 'paid']]);
      const older = await dataset(t, [song('1', 'Uprising', 'Muse', 200.5)], [[play({ sessionId: 3, level: 'free', lastName: 'Stale', ts: 1541000000000 })]]);
      await load(engine, older.songs, older.logs);
      assert.deepEqual((await user()).map((u) => [u['last_name'], u['level']]), [['New', 'paid']]);
    });

    test('a ts no timestamp can hold is quarantined with its field, the rest loads', async (t) => {
      const engine = await freshEngine(t, kind);
      if (!engine) return;
      const data = await dataset(t, [song('1', 'Uprising', 'Muse', 200.5)], [[play({}), play({ itemInSession: 1, ts: 9e15 }), play({ itemInSession: 2, ts: -7e13 })]]);
      const result = await load(engine, data.songs, data.logs);
      assert.deepEqual(result.rejects.map((r) => [r.line, r.field, r.reason]), [
        [2, 'ts', 'ts 9000000000000000 is outside the years 1 to 9999'],
        [3, 'ts', 'ts -70000000000000 is outside the years 1 to 9999'],
      ]);
      assert.equal(result.tables.find((x) => x.table === 'songplays')?.rows, 1);
    });

    test('the sample loaded in two halves (bulk, then merge) gives the same tables as in one load', async (t) => {
      if (!requireDataset(t, sample.songs)) return;
      const once = await freshEngine(t, kind);
      const twice = await freshEngine(t, kind);
      if (!once || !twice) return;
      await load(once, sample.songs, sample.logs);
      const dir = await tempDir(t);
      const days = (await readdir(join(sample.logs, '2018', '11'))).sort();
      for (const [half, names] of [['a', days.slice(0, 15)], ['b', days.slice(15)]] as const) {
        await mkdir(join(dir, half));
        for (const name of names) await cp(join(sample.logs, '2018', '11', name), join(dir, half, name));
      }
      // The second half first: an earlier day's plays arrive after later ones, and users' levels must still end right.
      await load(twice, sample.songs, join(dir, 'b'));
      await load(twice, sample.songs, join(dir, 'a'));
      assert.deepEqual(await tableChecksums(twice, orderBy), await tableChecksums(once, orderBy));
    });

    test('the worker-thread path of big inputs gives the same tables as this thread, on a first load and a re-load', async (t) => {
      if (!requireDataset(t, sample.songs)) return;
      const here = await freshEngine(t, kind);
      const workers = await freshEngine(t, kind);
      if (!here || !workers) return;
      await load(here, sample.songs, sample.logs, 0);
      const viaWorkers = await load(workers, sample.songs, sample.logs, 2);
      assert.equal(viaWorkers.sources[1]?.loaded, 6820);
      const expected = await tableChecksums(here, orderBy);
      assert.deepEqual(await tableChecksums(workers, orderBy), expected);
      await load(workers, sample.songs, sample.logs, 2);
      assert.deepEqual(await tableChecksums(workers, orderBy), expected);
    });
  });
}
