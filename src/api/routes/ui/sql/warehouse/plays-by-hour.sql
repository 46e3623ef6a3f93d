-- Plays per hour of the day (UTC: the warehouse keeps UTC times), all 24 hours present only if played.
SELECT CAST(extract(hour FROM start_time) AS INTEGER) AS hour, CAST(count(*) AS INTEGER) AS plays
FROM songplays
GROUP BY 1
ORDER BY 1
