-- GROUPING SETS: plays by level and gender together, by each alone, and in total. grouped_* = 1 marks a
-- subtotal row (the column is "all"), telling it apart from a real NULL in the data.
SELECT sp.level, u.gender,
       CAST(GROUPING(sp.level) AS INTEGER) AS all_levels,
       CAST(GROUPING(u.gender) AS INTEGER) AS all_genders,
       CAST(count(*) AS INTEGER) AS plays
FROM songplays sp JOIN users u ON u.user_id = sp.user_id
GROUP BY GROUPING SETS ((sp.level, u.gender), (sp.level), (u.gender), ())
ORDER BY all_levels, all_genders, sp.level NULLS LAST, u.gender NULLS LAST
