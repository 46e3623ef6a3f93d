-- What a play can match: one song per (title, artist name, duration), the smallest song_id when several share all three.
CREATE TEMPORARY TABLE song_catalog AS
SELECT title, artist_name, duration, song_id, artist_id
FROM (
  SELECT s.title, a.name AS artist_name, s.duration, s.song_id, s.artist_id,
         ROW_NUMBER() OVER (PARTITION BY s.title, a.name, s.duration ORDER BY s.song_id) AS pick
  FROM songs s JOIN artists a ON a.artist_id = s.artist_id
) AS ranked
WHERE pick = 1;
