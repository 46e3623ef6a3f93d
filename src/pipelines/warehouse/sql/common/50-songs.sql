-- One row per song; year 0 means unknown. A duplicated song_id keeps one record, chosen by content.
INSERT INTO songs (song_id, title, artist_id, year, duration)
SELECT song_id, title, artist_id, NULLIF(year, 0), duration
FROM (
  SELECT song_id, title, artist_id, year, duration,
         ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, year NULLS LAST, duration) AS pick
  FROM staging_catalog_songs
) AS ranked
WHERE pick = 1;
