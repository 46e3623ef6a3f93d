-- Distinct listeners per day.
SELECT CAST(CAST(start_time AS DATE) AS VARCHAR) AS day, CAST(count(DISTINCT user_id) AS INTEGER) AS users
FROM songplays
GROUP BY 1
ORDER BY 1
