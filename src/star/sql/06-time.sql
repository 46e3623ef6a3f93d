-- Every distinct play timestamp, broken down for roll-ups. weekday: 0 = Sunday … 6 = Saturday; week: ISO week.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT t, extract(hour FROM t)::int, extract(day FROM t)::int, extract(week FROM t)::int,
       extract(month FROM t)::int, extract(year FROM t)::int, extract(dow FROM t)::int
FROM (SELECT DISTINCT timestamp '1970-01-01 00:00:00' + ts * interval '1 millisecond' AS t FROM stage_events) AS plays
ON CONFLICT (start_time) DO NOTHING;
