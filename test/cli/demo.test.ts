import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/run-cli.ts';

type Event = { page: string; userId: string; sessionId: number; itemInSession: number; ts: number; level: string };

/** What the warehouse must hold, counted straight from the simulated files (none of the platform's code). */
async function expectedFrom(dataDir: string) {
  const logs = join(dataDir, 'log_data');
  const events: Event[] = [];
  for (const file of await readdir(logs, { recursive: true })) {
    if (!file.endsWith('.json')) continue;
    for (const line of (await readFile(join(logs, file), 'utf8')).split('\n')) if (line.trim() !== '') events.push(JSON.parse(line));
  }
  const songs: { song_id: string; artist_id: string }[] = [];
  for (const file of await readdir(join(dataDir, 'song_data'), { recursive: true })) {
    if (file.endsWith('.json')) songs.push(JSON.parse(await readFile(join(dataDir, 'song_data', file), 'utf8')));
  }
  // One songplay per key; the earliest play of a repeated key (none repeat in simulated data, but be exact).
  const plays = new Map<string, Event>();
  for (const e of events.filter((x) => x.page === 'NextSong').sort((a, b) => a.ts - b.ts)) {
    const key = `${e.sessionId}:${e.itemInSession}:${e.userId}`;
    if (!plays.has(key)) plays.set(key, e);
  }
  const byLevel = (level: string) => [...plays.values()].filter((p) => p.level === level);
  const hours = new Map<number, number>();
  for (const p of plays.values()) hours.set(new Date(p.ts).getUTCHours(), (hours.get(new Date(p.ts).getUTCHours()) ?? 0) + 1);
  return {
    events: events.length,
    nextSong: events.filter((e) => e.page === 'NextSong').length,
    rows: {
      songplays: plays.size,
      users: new Set([...plays.values()].map((p) => p.userId)).size,
      songs: new Set(songs.map((s) => s.song_id)).size,
      artists: new Set(songs.map((s) => s.artist_id)).size,
      time: new Set([...plays.values()].map((p) => p.ts)).size,
      staging_events: events.length,
      staging_songs: songs.length,
      load_errors: 0,
    },
    playsByLevel: ['free', 'paid'].map((level) => ({ level, plays: byLevel(level).length, users: new Set(byLevel(level).map((p) => p.userId)).size })).filter((l) => l.plays > 0),
    busiestHours: [...hours].map(([hour, n]) => ({ hour, plays: n })).sort((a, b) => b.plays - a.plays || a.hour - b.hour).slice(0, 5),
  };
}

// The main job (`npm start`) as a user runs it, at a small size: simulate one day, run dags/sparkify.ts over its 24
// hours through the scheduler and the local executor into the demo's DuckDB warehouse, summarise; twice, same answers.
test('the demo runs the Sparkify DAG over the simulated day: every run and task succeeds, every check passes, the warehouse holds what the files say', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sparkify-demo-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const run = async () => {
    const result = await runCli(['demo', '--data-dir', dataDir, '--days', '1', '--users', '100', '--songs', '60', '--seed', '7', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const { timing, ...summary } = JSON.parse(result.stdout);
    t.diagnostic(`24 runs x 10 tasks in ${timing.dagSeconds} s (${timing.tasksPerSecond} tasks/s)`);
    return summary;
  };
  const first = await run();
  const expected = await expectedFrom(join(dataDir, 'demo', 'data'));

  assert.equal(first.from, '2018-11-01T00:00:00.000Z');
  assert.equal(first.to, '2018-11-01T23:00:00.000Z', 'a backfill of the simulated day only, not a catchup to today');
  assert.deepEqual(first.runs, { success: 24 });
  assert.deepEqual(first.tasks, { success: 240 });
  assert.equal(first.tries, 240, 'no try failed');
  assert.equal(first.quality.checks.length, 6);
  assert.deepEqual({ passed: first.quality.passed, checked: first.quality.checked }, { passed: 6 * 24, checked: 6 * 24 });

  const rows = Object.fromEntries(first.tables.map((r: { table: string; rows: number }) => [r.table, r.rows]));
  assert.deepEqual(rows, expected.rows);
  const [events, songs] = first.sources;
  assert.deepEqual(events, {
    source: 'events', files: 1, read: expected.events, quarantined: 0, staged: expected.events,
    filtered: expected.events - expected.nextSong, duplicates: expected.nextSong - expected.rows.songplays, loaded: expected.rows.songplays, reconciles: true,
  });
  assert.equal(songs.read, expected.rows.staging_songs);
  assert.equal(songs.loaded, expected.rows.songs);
  assert.ok(songs.reconciles);

  assert.ok(first.answers.topSongs.length > 0 && first.answers.topSongs.length <= 5, 'simulated plays match the catalog');
  assert.deepEqual(first.answers.playsByLevel, expected.playsByLevel);
  assert.deepEqual(first.answers.busiestHours, expected.busiestHours);

  assert.deepEqual(await run(), first, 'a second run rebuilds the demo and says the same');
});
