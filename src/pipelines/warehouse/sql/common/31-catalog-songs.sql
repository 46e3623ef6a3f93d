-- Song records complete enough for the catalog (the Postgres model quarantines the others at read time).
CREATE TEMPORARY TABLE staging_catalog_songs AS
SELECT song_id, title, artist_id, year, duration, artist_name, artist_location, artist_latitude, artist_longitude
FROM staging_songs
WHERE song_id IS NOT NULL AND title IS NOT NULL AND artist_id IS NOT NULL
  AND artist_name IS NOT NULL AND duration IS NOT NULL;
