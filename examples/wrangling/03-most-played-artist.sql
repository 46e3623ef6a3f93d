-- Which artist was played most, and how many times? (Ties: the first artist by name.)
SELECT artist, count(*) AS plays
FROM log_data
WHERE page = 'NextSong'
GROUP BY artist
ORDER BY plays DESC, artist
LIMIT 1
