-- The most played songs (plays matched to the catalog).
SELECT s.title AS song, a.name AS artist, CAST(count(*) AS INTEGER) AS plays
FROM songplays sp JOIN songs s ON s.song_id = sp.song_id JOIN artists a ON a.artist_id = sp.artist_id
GROUP BY s.title, a.name
ORDER BY plays DESC, song, artist
LIMIT 10
