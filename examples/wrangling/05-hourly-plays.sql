-- Plays per hour of the day (UTC).
SELECT CAST(EXTRACT(HOUR FROM timestamp_millis(ts)) AS INT) AS hour, count(*) AS plays
FROM log_data
WHERE page = 'NextSong'
GROUP BY 1
ORDER BY hour
