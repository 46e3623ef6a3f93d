-- Roll-up: plays by year, then month, then day, with a subtotal at each level and the grand total (ROLLUP).
SELECT t.year, t.month, t.day,
       CAST(count(*) AS INTEGER) AS plays,
       CAST(count(DISTINCT sp.user_id) AS INTEGER) AS users
FROM songplays sp JOIN time t ON t.start_time = sp.start_time
GROUP BY ROLLUP (t.year, t.month, t.day)
ORDER BY t.year NULLS LAST, t.month NULLS LAST, t.day NULLS LAST
