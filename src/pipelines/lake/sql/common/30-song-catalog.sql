-- What a play can match (docs/decisions/2026-12-07-match-on-the-songs-own-artist-name.md): one song per (title, the
-- song record's own artist_name, duration), the smallest song_id on a tie; a repeated song_id counts once.
SELECT title, artist_name, duration, song_id, artist_id
FROM (
  SELECT title, artist_name, duration, song_id, artist_id,
         ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id) AS pick
  FROM lake_catalog_songs
  WHERE kept = 1
) AS ranked
WHERE pick = 1
