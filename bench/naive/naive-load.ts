import pg from 'pg';
import { MemoryQuarantine } from '../../src/datasets/quarantine.ts';
import { readLogEvents } from '../../src/datasets/read-log-events.ts';
import { readSongs } from '../../src/datasets/read-songs.ts';
import { emptyCounts } from '../../src/datasets/source-counts.ts';
import { starSql } from '../../src/pipelines/star-load/sql-files.ts';
import type { StarLoadPlan } from '../../src/pipelines/star-load/star-plan.ts';
import { naiveSql } from './naive-sql.ts';

export interface NaiveResult {
  /** Round trips to the server: one per statement, as the course's etl.py makes them. */
  statements: number;
  events: number;
  songplays: number;
}

/**
 * The baseline: the classic course solution (etl.py), with the same readers and tables as the real load so that
 * only the way rows reach the database differs. Autocommit, one INSERT per song, artist, time, user and songplay
 * row, and one SELECT per songplay to find its song by title + artist name + duration.
 */
export async function naiveLoad(plan: StarLoadPlan, url: string): Promise<NaiveResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let statements = 0;
  const run = async (sql: string, params?: unknown[]) => {
    statements++;
    return client.query(sql, params);
  };
  try {
    // The same tables, keys and indexes as the real load (whose last step creates the secondary indexes).
    await client.query(starSql('01-schema'));
    await client.query(starSql('11-songplays-indexes'));
    const quarantine = new MemoryQuarantine();
    for await (const { record: s } of readSongs(plan.songs.files, quarantine, emptyCounts('songs'))) {
      await run(naiveSql.artist, [s.artist_id, s.artist_name, s.artist_location, s.artist_latitude, s.artist_longitude]);
      await run(naiveSql.song, [s.song_id, s.title, s.artist_id, s.year, s.duration]);
    }
    const logs = emptyCounts('logs');
    let songplays = 0;
    for await (const { record: e } of readLogEvents(plan.logs.files, quarantine, logs)) {
      if (e.page !== 'NextSong' || !/^[1-9]\d{0,8}$/.test(e.userId) || e.song === null || e.artist === null) continue;
      const t = new Date(e.ts);
      await run(naiveSql.time, [e.ts, t.getUTCHours(), t.getUTCDate(), isoWeek(t), t.getUTCMonth() + 1, t.getUTCFullYear(), t.getUTCDay()]);
      await run(naiveSql.user, [Number(e.userId), e.firstName, e.lastName, e.gender, e.level, e.ts]);
      const match = await run(naiveSql.songSelect, [e.song, e.artist, e.length]);
      const song = match.rows[0] as { song_id: string; artist_id: string } | undefined;
      await run(naiveSql.songplay, [`${e.sessionId}:${e.itemInSession}:${e.userId}`, e.ts, Number(e.userId), e.level,
        song?.song_id ?? null, song?.artist_id ?? null, e.sessionId, e.location, e.userAgent]);
      songplays++;
    }
    return { statements, events: logs.read, songplays };
  } finally {
    await client.end();
  }
}

/** ISO-8601 week number, as pandas' `dt.week` gives it in the course notebook. */
function isoWeek(date: Date): number {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
}
