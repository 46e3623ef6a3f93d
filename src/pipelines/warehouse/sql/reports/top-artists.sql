-- The most played artists (plays matched to the catalog), with how many listeners and songs.
SELECT a.name AS artist,
       CAST(count(*) AS INTEGER) AS plays,
       CAST(count(DISTINCT sp.user_id) AS INTEGER) AS listeners,
       CAST(count(DISTINCT sp.song_id) AS INTEGER) AS songs
FROM songplays sp JOIN artists a ON a.artist_id = sp.artist_id
GROUP BY a.name
ORDER BY plays DESC, artist
LIMIT 10
