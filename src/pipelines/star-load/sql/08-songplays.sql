-- The bulk path first: the primary key back on the freshly COPYed table (02-staging.sql's add_key_dropping_repeats:
-- one sorted build, a repeated event's later copies removed if there are any, and counted as duplicates). First,
-- because the merge below names the key in ON CONFLICT, which must exist when the statement is planned, even to
-- insert nothing.
INSERT INTO load_counts (songplays_inserted, songplays_repeats)
SELECT 0, pg_temp.add_key_dropping_repeats('songplays', 'songplays_pkey', 'songplay_id') WHERE (SELECT bulk FROM load_mode);

-- Then, into a songplays that holds earlier loads: the staged plays merged in key order (the primary key grows at its right
-- edge). Duplicate events (same natural key) collapse into one play: ON CONFLICT DO NOTHING keeps the existing play,
-- DISTINCT ON the first in input order (ctid: the staged rows' physical order is the COPY's). The count feeds
-- 09-songplays-rematch.sql. On the bulk path nothing was staged and the statement inserts nothing.
WITH inserted AS (
  INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
  SELECT DISTINCT ON (songplay_id)
         songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent
  FROM stage_songplays
  WHERE NOT (SELECT bulk FROM load_mode)
  ORDER BY songplay_id, ctid
  ON CONFLICT (songplay_id) DO NOTHING
  RETURNING 1
)
INSERT INTO load_counts (songplays_inserted) SELECT count(*) FROM inserted;

-- The input's own repeats (a key staged twice), reported as duplicates; a play the table already held from an earlier
-- load is not one. Counted only when fewer plays went in than were staged (a re-load, or repeats), so a load of new
-- events pays nothing for it.
INSERT INTO load_counts (songplays_inserted, songplays_repeats)
SELECT 0, (SELECT count(*) - count(DISTINCT songplay_id) FROM stage_songplays)
WHERE (SELECT sum(songplays_inserted) FROM load_counts) < (SELECT count(*) FROM stage_songplays);
