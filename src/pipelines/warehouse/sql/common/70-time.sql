-- Every distinct play timestamp, broken down for roll-ups. weekday: 0 = Sunday … 6 = Saturday; week: ISO week.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT ts,
       CAST(EXTRACT(hour FROM ts) AS INTEGER), CAST(EXTRACT(day FROM ts) AS INTEGER),
       CAST(EXTRACT(week FROM ts) AS INTEGER), CAST(EXTRACT(month FROM ts) AS INTEGER),
       CAST(EXTRACT(year FROM ts) AS INTEGER), CAST(EXTRACT(dow FROM ts) AS INTEGER)
FROM (SELECT DISTINCT ts FROM staging_plays) AS plays;
