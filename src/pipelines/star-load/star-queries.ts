import type { SqlSession } from '../../engines/engine.ts';

export interface TableCount {
  table: string;
  rows: number;
}

export const starTables = ['songplays', 'users', 'songs', 'artists', 'time'] as const;

export async function countStarTables(db: SqlSession): Promise<TableCount[]> {
  const rows = await db.query<{ table: string; rows: number }>(
    starTables.map((t) => `SELECT '${t}' AS "table", count(*)::int AS rows FROM ${t}`).join(' UNION ALL '),
  );
  const byName = new Map(rows.map((r) => [r.table, r.rows]));
  return starTables.map((table) => ({ table, rows: byName.get(table) ?? 0 }));
}

/**
 * The input's repeated keys the load dropped, read inside its transaction after 08-songplays.sql: songplays' from
 * load_counts (rows deleted or not merged), songs' from the staged records (a song_id staged twice keeps its latest).
 */
export async function countStarDuplicates(tx: SqlSession): Promise<{ plays: number; songs: number }> {
  const [row] = await tx.query<{ plays: number; songs: number }>(`SELECT
    (SELECT coalesce(sum(songplays_repeats), 0) FROM load_counts)::int AS plays,
    (SELECT count(*) - count(DISTINCT song_id) FROM stage_songs)::int AS songs`);
  return { plays: Number(row?.plays ?? 0), songs: Number(row?.songs ?? 0) };
}

/** A few answers the summary prints; every number is cast so both engines return plain numbers. */
export const answerQueries = {
  topSongs: `
    SELECT s.title AS song, a.name AS artist, count(*)::int AS plays
    FROM songplays sp JOIN songs s ON s.song_id = sp.song_id JOIN artists a ON a.artist_id = sp.artist_id
    GROUP BY s.title, a.name ORDER BY plays DESC, song, artist LIMIT 5`,
  playsByLevel: `
    SELECT level, count(*)::int AS plays, count(DISTINCT user_id)::int AS users
    FROM songplays GROUP BY level ORDER BY level`,
  busiestHours: `
    SELECT t.hour, count(*)::int AS plays
    FROM songplays sp JOIN time t ON t.start_time = sp.start_time
    GROUP BY t.hour ORDER BY plays DESC, t.hour LIMIT 5`,
} as const;

export type AnswerName = keyof typeof answerQueries;

export async function answer(db: SqlSession, name: AnswerName): Promise<Record<string, unknown>[]> {
  return db.query(answerQueries[name]);
}
