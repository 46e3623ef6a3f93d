-- Appended to the one-shot load's 90-songplays.sql. A natural key repeated in another interval keeps one play, the
-- earliest, as the one-shot load keeps it (there, ties in ts are broken by content; intervals never share a ts).
ON CONFLICT (songplay_id) DO UPDATE SET
  start_time = excluded.start_time, user_id = excluded.user_id, level = excluded.level, song_id = excluded.song_id,
  artist_id = excluded.artist_id, session_id = excluded.session_id, location = excluded.location, user_agent = excluded.user_agent
WHERE excluded.start_time < songplays.start_time
