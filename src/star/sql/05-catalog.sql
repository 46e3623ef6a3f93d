-- What a play can match: one song per (title, artist name, duration), the smallest song_id when several share all
-- three, over every song loaded so far. The loader reads it once and matches each NextSong event while it reads the
-- logs, so the plays reach the database already matched (one row per song: the catalog, not the events, is held).
SELECT DISTINCT ON (s.title, a.name, s.duration) s.title, a.name AS artist_name, s.duration, s.song_id, s.artist_id
FROM songs s JOIN artists a ON a.artist_id = s.artist_id
ORDER BY s.title, a.name, s.duration, s.song_id;
