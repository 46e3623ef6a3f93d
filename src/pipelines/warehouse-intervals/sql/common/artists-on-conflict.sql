-- Appended to the one-shot load's 40-artists.sql: the rule picks from all of staging_songs, so its row replaces ours.
ON CONFLICT (artist_id) DO UPDATE SET
  name = excluded.name, location = excluded.location, latitude = excluded.latitude, longitude = excluded.longitude
