-- Plays loaded before their song reached the catalog get their match when the same events are loaded again.
-- When 08-songplays.sql inserted every staged event, no play existed before and no event was a duplicate: each play
-- already carries its own event's match, and the join is skipped (the last condition is evaluated once, first).
UPDATE songplays sp
   SET song_id = m.song_id, artist_id = m.artist_id
  FROM (SELECT e.session_id || ':' || e.item_in_session || ':' || e.user_id AS songplay_id, c.song_id, c.artist_id
        FROM stage_events e
        JOIN song_catalog c ON c.title = e.song AND c.artist_name = e.artist AND c.duration = e.length) AS m
 WHERE sp.songplay_id = m.songplay_id
   AND (sp.song_id, sp.artist_id) IS DISTINCT FROM (m.song_id, m.artist_id)
   AND (SELECT sum(songplays_inserted) FROM load_counts) < (SELECT count(*) FROM stage_events);
