-- Plays loaded before their song reached the catalog get their match when the same events are loaded again.
UPDATE songplays sp
   SET song_id = m.song_id, artist_id = m.artist_id
  FROM (SELECT e.session_id || ':' || e.item_in_session || ':' || e.user_id AS songplay_id, c.song_id, c.artist_id
        FROM stage_events e
        JOIN song_catalog c ON c.title = e.song AND c.artist_name = e.artist AND c.duration = e.length) AS m
 WHERE sp.songplay_id = m.songplay_id
   AND (sp.song_id, sp.artist_id) IS DISTINCT FROM (m.song_id, m.artist_id);
