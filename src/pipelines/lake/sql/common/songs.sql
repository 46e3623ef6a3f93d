-- One row per song; year 0 means unknown (NULL: the partition __HIVE_DEFAULT_PARTITION__).
SELECT song_id, title, artist_id, NULLIF(year, 0) AS year, duration
FROM lake_catalog_songs
WHERE kept = 1
