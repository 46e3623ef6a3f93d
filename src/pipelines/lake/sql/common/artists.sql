-- One row per artist: the most complete record (a location, then coordinates) wins, remaining ties by content
-- (warehouse/sql/common/40-artists.sql).
SELECT artist_id, artist_name AS name, location, artist_latitude AS latitude, artist_longitude AS longitude
FROM (
  SELECT artist_id, artist_name, NULLIF(TRIM(artist_location), '') AS location, artist_latitude, artist_longitude,
         ROW_NUMBER() OVER (
           PARTITION BY artist_id
           ORDER BY CASE WHEN NULLIF(TRIM(artist_location), '') IS NOT NULL THEN 0 ELSE 1 END,
                    CASE WHEN artist_latitude IS NOT NULL AND artist_longitude IS NOT NULL THEN 0 ELSE 1 END,
                    artist_name, artist_location NULLS LAST, artist_latitude NULLS LAST, artist_longitude NULLS LAST
         ) AS pick
  FROM staging_songs
) AS ranked
WHERE pick = 1
