-- truncate-insert on PostgreSQL, where songs.artist_id references artists: an artist a song still names is kept and
-- rewritten in place by the insert that follows (artists-on-conflict.sql); the others go.
DELETE FROM artists WHERE NOT EXISTS (SELECT 1 FROM songs WHERE songs.artist_id = artists.artist_id);
