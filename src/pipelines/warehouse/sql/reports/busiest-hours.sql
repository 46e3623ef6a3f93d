-- The busiest hours of the day (UTC), across all days.
SELECT t.hour, CAST(count(*) AS INTEGER) AS plays, CAST(count(DISTINCT sp.user_id) AS INTEGER) AS users
FROM songplays sp JOIN time t ON t.start_time = sp.start_time
GROUP BY t.hour
ORDER BY plays DESC, t.hour
LIMIT 5
