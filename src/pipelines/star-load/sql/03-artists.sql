-- One row per artist. Songs disagree about their artist's details; keep the most complete record,
-- then the latest in input order, so the same input always yields the same row.
INSERT INTO artists (artist_id, name, location, latitude, longitude)
SELECT DISTINCT ON (artist_id)
       artist_id, artist_name, NULLIF(btrim(artist_location), ''), artist_latitude, artist_longitude
FROM stage_songs
ORDER BY artist_id,
         (NULLIF(btrim(artist_location), '') IS NOT NULL) DESC,
         (artist_latitude IS NOT NULL AND artist_longitude IS NOT NULL) DESC,
         seq DESC
ON CONFLICT (artist_id) DO UPDATE
   SET name = EXCLUDED.name, location = EXCLUDED.location,
       latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude
 WHERE (artists.name, artists.location, artists.latitude, artists.longitude)
       IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.location, EXCLUDED.latitude, EXCLUDED.longitude);
