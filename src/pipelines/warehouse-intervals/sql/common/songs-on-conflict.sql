-- Appended to the one-shot load's 50-songs.sql: the rule picks from all of staging_songs, so its row replaces ours.
ON CONFLICT (song_id) DO UPDATE SET
  title = excluded.title, artist_id = excluded.artist_id, year = excluded.year, duration = excluded.duration
