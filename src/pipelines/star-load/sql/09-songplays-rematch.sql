-- Plays loaded before their song reached the catalog get their match when the same events are loaded again.
-- When 08-songplays.sql merged in every staged play, no play existed before and no event was a duplicate: each play
-- already carries its own event's match, and the join is skipped (the last condition is evaluated once, first). On the
-- bulk path nothing is staged and both counts are 0.
UPDATE songplays sp
   SET song_id = m.song_id, artist_id = m.artist_id
  FROM stage_songplays m
 WHERE sp.songplay_id = m.songplay_id
   AND m.song_id IS NOT NULL
   AND (sp.song_id, sp.artist_id) IS DISTINCT FROM (m.song_id, m.artist_id)
   AND (SELECT sum(songplays_inserted) FROM load_counts) < (SELECT count(*) FROM stage_songplays);
