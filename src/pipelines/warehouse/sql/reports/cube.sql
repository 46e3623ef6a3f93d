-- CUBE: plays over every combination of level × gender × weekday, subtotals included.
SELECT sp.level, u.gender, t.weekday,
       CAST(GROUPING(sp.level) AS INTEGER) AS all_levels,
       CAST(GROUPING(u.gender) AS INTEGER) AS all_genders,
       CAST(GROUPING(t.weekday) AS INTEGER) AS all_weekdays,
       CAST(count(*) AS INTEGER) AS plays
FROM songplays sp
JOIN users u ON u.user_id = sp.user_id
JOIN time t ON t.start_time = sp.start_time
GROUP BY CUBE (sp.level, u.gender, t.weekday)
ORDER BY all_levels, all_genders, all_weekdays, sp.level NULLS LAST, u.gender NULLS LAST, t.weekday NULLS LAST
