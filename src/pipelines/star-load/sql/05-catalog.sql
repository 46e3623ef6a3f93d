-- What a play can match: one song per (title, artist name, duration), the artist name as the song's own record spells
-- it (song_artist_names, 01-schema.sql), not the one `artists` kept; the smallest song_id when several share all three;
-- over every song loaded so far. The loader reads it once and matches each NextSong event while it reads the logs, so
-- the plays reach the database already matched (one row per song: the catalog, not the events, is held).
SELECT DISTINCT ON (s.title, n.artist_name, s.duration) s.title, n.artist_name, s.duration, s.song_id, s.artist_id
FROM songs s JOIN song_artist_names n ON n.song_id = s.song_id
ORDER BY s.title, n.artist_name, s.duration, s.song_id;
