-- Plays per day by the level the user had when playing (songplays.level): free vs paid over time.
SELECT CAST(CAST(start_time AS DATE) AS VARCHAR) AS day,
       CAST(sum(CASE WHEN level = 'free' THEN 1 ELSE 0 END) AS INTEGER) AS free,
       CAST(sum(CASE WHEN level = 'paid' THEN 1 ELSE 0 END) AS INTEGER) AS paid
FROM songplays
GROUP BY 1
ORDER BY 1
