-- Every distinct play timestamp, broken down for roll-ups. weekday: 0 = Sunday … 6 = Saturday; week: ISO week.
-- date_part is EXTRACT's float8 form: EXTRACT returns numeric on PostgreSQL, much slower to compute
-- (docs/decisions/2026-12-01-warehouse-postgres-transform.md); every part here is a whole number, so the values are
-- the same as on the other targets.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT ts,
       CAST(date_part('hour', ts) AS INTEGER), CAST(date_part('day', ts) AS INTEGER),
       CAST(date_part('week', ts) AS INTEGER), CAST(date_part('month', ts) AS INTEGER),
       CAST(date_part('year', ts) AS INTEGER), CAST(date_part('dow', ts) AS INTEGER)
FROM (SELECT DISTINCT ts FROM staging_plays) AS plays;
