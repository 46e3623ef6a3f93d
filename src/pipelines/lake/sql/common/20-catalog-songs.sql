-- Every song record, ranked within its song_id: `kept = 1` is the record `songs` keeps (warehouse/sql/common/50-songs.sql's
-- order, then the artist's spelling, as 80-catalog.sql breaks the last ties).
SELECT song_id, title, artist_id, year, duration, artist_name, artist_location, artist_latitude, artist_longitude,
       ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, year NULLS LAST, duration, artist_name) AS kept
FROM staging_songs
