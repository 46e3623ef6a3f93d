-- Dice: several dimensions filtered at once (paid plays by women, Monday to Friday, 08:00–17:59), by location.
SELECT sp.location,
       CAST(count(*) AS INTEGER) AS plays,
       CAST(count(DISTINCT sp.user_id) AS INTEGER) AS users
FROM songplays sp
JOIN time t ON t.start_time = sp.start_time
JOIN users u ON u.user_id = sp.user_id
WHERE sp.level = 'paid' AND u.gender = 'F' AND t.weekday BETWEEN 1 AND 5 AND t.hour BETWEEN 8 AND 17
GROUP BY sp.location
ORDER BY plays DESC, sp.location NULLS LAST
LIMIT 10
