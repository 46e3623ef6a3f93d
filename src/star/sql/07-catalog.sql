-- What a play can match: one song per (title, artist name, duration), the smallest song_id when several
-- share all three. Built once per load and used by both songplay statements.
CREATE TEMPORARY TABLE song_catalog ON COMMIT DROP AS
SELECT DISTINCT ON (s.title, a.name, s.duration) s.title, a.name AS artist_name, s.duration, s.song_id, s.artist_id
FROM songs s JOIN artists a ON a.artist_id = s.artist_id
ORDER BY s.title, a.name, s.duration, s.song_id;
-- Statistics, so the songplay statements hash-join the events to it instead of sorting every event for a merge join.
ANALYZE song_catalog;
