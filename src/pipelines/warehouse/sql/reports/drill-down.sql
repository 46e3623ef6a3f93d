-- Drill-down: from the busiest day to its hours, split by level.
SELECT t.year, t.month, t.day, t.hour,
       CAST(count(*) AS INTEGER) AS plays,
       CAST(sum(CASE WHEN sp.level = 'paid' THEN 1 ELSE 0 END) AS INTEGER) AS paid,
       CAST(sum(CASE WHEN sp.level = 'free' THEN 1 ELSE 0 END) AS INTEGER) AS free
FROM songplays sp JOIN time t ON t.start_time = sp.start_time
JOIN (
  SELECT t2.year, t2.month, t2.day
  FROM songplays sp2 JOIN time t2 ON t2.start_time = sp2.start_time
  GROUP BY t2.year, t2.month, t2.day
  ORDER BY count(*) DESC, t2.year, t2.month, t2.day
  LIMIT 1
) AS busiest ON busiest.year = t.year AND busiest.month = t.month AND busiest.day = t.day
GROUP BY t.year, t.month, t.day, t.hour
ORDER BY t.hour
