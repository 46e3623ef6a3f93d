-- One row per song; a duplicated song_id keeps its latest record in input order. Year 0 means unknown.
INSERT INTO songs (song_id, title, artist_id, year, duration)
SELECT DISTINCT ON (song_id) song_id, title, artist_id, NULLIF(year, 0), duration
FROM stage_songs
ORDER BY song_id, seq DESC
ON CONFLICT (song_id) DO UPDATE
   SET title = EXCLUDED.title, artist_id = EXCLUDED.artist_id, year = EXCLUDED.year, duration = EXCLUDED.duration
 WHERE (songs.title, songs.artist_id, songs.year, songs.duration)
       IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.artist_id, EXCLUDED.year, EXCLUDED.duration);

-- The same record's artist name, for the catalog (01-schema.sql). Rewritten only where it changed: a re-load of the
-- same files writes nothing.
INSERT INTO song_artist_names (song_id, artist_name)
SELECT DISTINCT ON (song_id) song_id, artist_name
FROM stage_songs
ORDER BY song_id, seq DESC
ON CONFLICT (song_id) DO UPDATE
   SET artist_name = EXCLUDED.artist_name
 WHERE song_artist_names.artist_name IS DISTINCT FROM EXCLUDED.artist_name;
