import assert from 'node:assert/strict';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemoryQuarantine, NdjsonQuarantine } from '../../src/datasets/quarantine.ts';
import { reconciles, type SourceCounts } from '../../src/datasets/source-counts.ts';
import type { SqlEngine } from '../../src/engines/engine.ts';
import { applyStarLoad, type StarLoadResult } from '../../src/pipelines/star-load/apply-star-load.ts';
import { planStarLoad } from '../../src/pipelines/star-load/star-plan.ts';
import { freshEngine, tableChecksums } from '../support/engines.ts';
import { corpus, isSparkifyError, logFixture, MiB, songFixture, tempDir, unreadableFiles } from './corpus.ts';

const orderBy = { songplays: 'songplay_id', users: 'user_id', songs: 'song_id', artists: 'artist_id', time: 'start_time' };
const tally = (c: SourceCounts | undefined) =>
  ({ files: c?.files, read: c?.read, loaded: c?.loaded, quarantined: c?.quarantined, filtered: c?.filtered, duplicates: c?.duplicates, repaired: c?.repaired });
const tableRows = (r: StarLoadResult) => Object.fromEntries(r.tables.map((x) => [x.table, x.rows]));

async function load(engine: SqlEngine, songsDir: string, logsDir: string, rejectsFile: string): Promise<StarLoadResult> {
  const quarantine = new NdjsonQuarantine(rejectsFile);
  try {
    return await applyStarLoad(await planStarLoad({ songsDir, logsDir, target: 'test', rejectsFile }), engine, quarantine);
  } finally {
    await quarantine.close();
  }
}

const snapshot = async (engine: SqlEngine) => ({
  songplays: await engine.query('SELECT * FROM songplays ORDER BY songplay_id'),
  songs: await engine.query('SELECT * FROM songs ORDER BY song_id'),
  artists: await engine.query('SELECT * FROM artists ORDER BY artist_id'),
  users: await engine.query('SELECT user_id, first_name, last_name, gender, level FROM users ORDER BY user_id'),
});

test('mixed good and bad input loads into the star schema on PGlite; later bad loads lose nothing already loaded', async (t) => {
  const engine = await freshEngine(t, 'pglite');
  if (!engine) return;
  const dir = await tempDir(t);
  const rejects = join(dir, 'rejects.ndjson');

  // Run 1: the whole corpus, good and bad files side by side.
  await cp(join(corpus, 'song_data'), join(dir, 'run1', 'songs'), { recursive: true });
  await cp(join(corpus, 'log_data'), join(dir, 'run1', 'logs'), { recursive: true });
  const first = await load(engine, join(dir, 'run1', 'songs'), join(dir, 'run1', 'logs'), rejects);
  assert.ok(first.sources.every(reconciles));
  assert.deepEqual(first.sources.map(tally), [
    // 15 good song records, 3 of them repeating another's song_id (the latest kept): 12 songs.
    { files: 11, read: 22, loaded: 12, quarantined: 7, filtered: 0, duplicates: 3, repaired: 2 },
    // 20 of the 31 events are good: one Home page (filtered) and 19 NextSong plays, 9 of them repeats of others' keys.
    { files: 10, read: 31, loaded: 10, quarantined: 11, filtered: 1, duplicates: 9, repaired: 5 },
  ]);
  assert.deepEqual(tableRows(first), { songplays: 10, users: 2, songs: 12, artists: 12, time: 10 });
  const [matched] = await engine.query<{ song_id: string }>(`SELECT song_id FROM songplays WHERE songplay_id = '818:5:15'`);
  assert.equal(matched?.song_id, 'SOZCTXZ12AB0182364');
  const afterFirst = await snapshot(engine);

  // Run 2: new plays and a corrected song, mixed with more bad input and files already loaded.
  const songs2 = join(dir, 'run2', 'songs');
  const logs2 = join(dir, 'run2', 'logs');
  await mkdir(songs2, { recursive: true });
  await mkdir(logs2, { recursive: true });
  await cp(songFixture('truncated.json'), join(songs2, 'truncated.json'));
  await cp(songFixture('wrong-types.json'), join(songs2, 'wrong-types.json'));
  // The record invalid-utf8.json quarantined, re-sent with its é in UTF-8.
  const fixed = (await readFile(songFixture('invalid-utf8.json'))).toString('latin1').split('\n')[0] as string;
  await writeFile(join(songs2, 'fixed.json'), fixed);
  await cp(logFixture('good.json'), join(logs2, 'good.json'));
  await cp(logFixture('out-of-range.json'), join(logs2, 'out-of-range.json'));
  const nextDay = (await readFile(logFixture('good.json'), 'utf8')).split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .map((e) => JSON.stringify({ ...e, sessionId: 819, ts: (e.ts as number) + 86_400_000 }));
  await writeFile(join(logs2, 'next-day.json'), [
    ...nextDay,
    JSON.stringify({ ...JSON.parse(nextDay[1] as string), itemInSession: 6, song: 'x'.repeat(10 * MiB) }),
    JSON.stringify({ ...JSON.parse(nextDay[1] as string), itemInSession: 7, song: 'Nul\u0000' }),
    (nextDay[2] as string).slice(0, 100),
  ].join('\n'));

  const second = await load(engine, songs2, logs2, rejects);
  assert.ok(second.sources.every(reconciles));
  assert.deepEqual(second.sources.map(tally), [
    { files: 3, read: 6, loaded: 3, quarantined: 3, filtered: 0, duplicates: 0, repaired: 0 },
    // good.json's 5 plays are in songplays since run 1: loaded again, not duplicates of this input.
    { files: 3, read: 18, loaded: 11, quarantined: 5, filtered: 2, duplicates: 0, repaired: 0 },
  ]);
  assert.deepEqual(tableRows(second), { songplays: 15, users: 2, songs: 13, artists: 13, time: 15 });

  // Everything run 1 loaded is still there, unchanged; run 2 only added.
  const afterSecond = await snapshot(engine);
  assert.deepEqual(afterSecond.songplays.filter((r) => !String(r.songplay_id).startsWith('819:')), afterFirst.songplays);
  assert.deepEqual(afterSecond.songs.filter((r) => r.song_id !== 'SOHUOAP12A8AE488E9'), afterFirst.songs);
  assert.deepEqual(afterSecond.artists.filter((r) => r.artist_id !== 'ARD842G1187B997376'), afterFirst.artists);
  assert.deepEqual(afterSecond.users, afterFirst.users);
  const [title] = await engine.query<{ title: string }>(`SELECT title FROM songs WHERE song_id = 'SOHUOAP12A8AE488E9'`);
  assert.equal(title?.title, 'Floating Caf\u00e9');

  // Across both runs: every record read is loaded, filtered or in the rejects file (once).
  const lines = (await readFile(rejects, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { source: string; file: string; line: number; field: string; raw: string });
  const runs = [first, second];
  for (const [i, source] of ['songs', 'logs'].entries()) {
    const counts = runs.map((r) => r.sources[i] as SourceCounts);
    const sum = (k: 'read' | 'loaded' | 'quarantined' | 'filtered' | 'duplicates') => counts.reduce((n, c) => n + c[k], 0);
    assert.equal(sum('read'), sum('loaded') + sum('quarantined') + sum('filtered') + sum('duplicates'), source);
    assert.equal(lines.filter((l) => l.source === source).length, sum('quarantined'), source);
  }
  const where = (file: string, line: number) => lines.find((l) => l.file === file && l.line === line);
  assert.equal(where(join(logs2, 'next-day.json'), 8)?.field, 'song');
  assert.ok((where(join(logs2, 'next-day.json'), 7)?.raw.length ?? Infinity) < 2100, 'the 10 MB line is clipped in the rejects file');
  assert.equal(where(join(dir, 'run1', 'logs', 'out-of-range.json'), 1)?.field, 'sessionId');

  // Run 3: a file that cannot be read aborts the load, and the tables are exactly as run 2 left them.
  const before = await tableChecksums(engine, orderBy);
  const logs3 = join(dir, 'run3', 'logs');
  await mkdir(logs3, { recursive: true });
  await cp(logFixture('good.json'), join(logs3, 'a-good.json'));
  const [unreadable] = (await unreadableFiles(logs3)).sort();
  await assert.rejects(
    applyStarLoad(await planStarLoad({ songsDir: songs2, logsDir: logs3, target: 'test', rejectsFile: rejects }), engine, new MemoryQuarantine()),
    isSparkifyError('SPK_E_INPUT_UNREADABLE', unreadable),
  );
  assert.deepEqual(await tableChecksums(engine, orderBy), before);
});
