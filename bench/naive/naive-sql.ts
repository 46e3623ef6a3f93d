/**
 * The course's sql_queries.py, adapted to the star schema of src/pipelines/star-load/sql/01-schema.sql (natural songplay ids,
 * users.level_at, millisecond timestamps). One row per statement: that is the point of the baseline.
 */
const epochMs = (param: string) => `timestamp '1970-01-01 00:00:00' + ${param}::bigint * interval '1 millisecond'`;

export const naiveSql = {
  artist: `INSERT INTO artists (artist_id, name, location, latitude, longitude)
           VALUES ($1, $2, NULLIF(btrim($3), ''), $4, $5) ON CONFLICT (artist_id) DO NOTHING`,
  song: `INSERT INTO songs (song_id, title, artist_id, year, duration)
         VALUES ($1, $2, $3, NULLIF($4::int, 0), $5) ON CONFLICT (song_id) DO NOTHING`,
  time: `INSERT INTO time (start_time, hour, day, week, month, year, weekday)
         VALUES (${epochMs('$1')}, $2, $3, $4, $5, $6, $7) ON CONFLICT (start_time) DO NOTHING`,
  user: `INSERT INTO users (user_id, first_name, last_name, gender, level, level_at)
         VALUES ($1, $2, $3, $4, $5, ${epochMs('$6')})
         ON CONFLICT (user_id) DO UPDATE SET level = EXCLUDED.level, level_at = EXCLUDED.level_at
         WHERE EXCLUDED.level_at >= users.level_at`,
  songSelect: `SELECT s.song_id, s.artist_id FROM songs s JOIN artists a ON a.artist_id = s.artist_id
               WHERE s.title = $1 AND a.name = $2 AND s.duration = $3`,
  songplay: `INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
             VALUES ($1, ${epochMs('$2')}, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (songplay_id) DO NOTHING`,
} as const;
