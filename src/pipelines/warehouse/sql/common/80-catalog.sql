-- What a play can match: one song per (title, artist name, duration), the artist name as the song's own record in
-- staging spells it (the course's join of staging_events to staging_songs.artist_name), not the one name `artists`
-- kept for the id; the smallest song_id when several share all three. A duplicated song_id counts once, as the record
-- 50-songs.sql keeps (its order); of records that differ only in the artist's spelling, the first name in order.
CREATE TEMPORARY TABLE song_catalog AS
SELECT title, artist_name, duration, song_id, artist_id
FROM (
  SELECT title, artist_name, duration, song_id, artist_id,
         ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id) AS pick
  FROM (
    SELECT song_id, title, artist_id, duration, artist_name,
           ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, year NULLS LAST, duration, artist_name) AS kept
    FROM staging_catalog_songs
  ) AS records
  WHERE kept = 1
) AS ranked
WHERE pick = 1;
