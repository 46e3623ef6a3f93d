-- Slice: one value of one dimension (level = 'paid'), by weekday (0 = Sunday).
SELECT t.weekday,
       CAST(count(*) AS INTEGER) AS plays,
       CAST(count(DISTINCT sp.user_id) AS INTEGER) AS users
FROM songplays sp JOIN time t ON t.start_time = sp.start_time
WHERE sp.level = 'paid'
GROUP BY t.weekday
ORDER BY t.weekday
