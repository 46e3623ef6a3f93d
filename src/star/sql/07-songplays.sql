-- Plays, matched to the catalog on title + artist name + duration. When several catalog songs match, the
-- smallest song_id wins. Duplicate events (same natural key) collapse into one play: DO NOTHING keeps the first.
WITH catalog AS (
  SELECT DISTINCT ON (s.title, a.name, s.duration) s.title, a.name, s.duration, s.song_id, s.artist_id
  FROM songs s JOIN artists a ON a.artist_id = s.artist_id
  ORDER BY s.title, a.name, s.duration, s.song_id
)
INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT e.session_id || ':' || e.item_in_session || ':' || e.user_id,
       timestamp '1970-01-01 00:00:00' + e.ts * interval '1 millisecond',
       e.user_id, e.level, c.song_id, c.artist_id, e.session_id, e.location, e.user_agent
FROM stage_events e
LEFT JOIN catalog c ON c.title = e.song AND c.name = e.artist AND c.duration = e.length
ON CONFLICT (songplay_id) DO NOTHING;
