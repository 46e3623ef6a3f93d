-- Plays, matched to the catalog on title + artist name + duration. Duplicate events (same natural key)
-- collapse into one play: DO NOTHING keeps the first.
INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT e.session_id || ':' || e.item_in_session || ':' || e.user_id,
       timestamp '1970-01-01 00:00:00' + e.ts * interval '1 millisecond',
       e.user_id, e.level, c.song_id, c.artist_id, e.session_id, e.location, e.user_agent
FROM stage_events e
LEFT JOIN song_catalog c ON c.title = e.song AND c.artist_name = e.artist AND c.duration = e.length
ON CONFLICT (songplay_id) DO NOTHING;
