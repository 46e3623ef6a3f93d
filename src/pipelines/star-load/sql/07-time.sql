-- The time rows the loader COPYed: one per distinct play timestamp of each log file, its parts computed as date_part
-- computes them (star-load/time-rows.ts; weekday: 0 = Sunday … 6 = Saturday; week: ISO week). A timestamp can still come
-- twice, from two files (log files hold a day each, so rarely).
-- On the bulk path (06-load-targets.sql) they went into the bare table, and the key is built over them (02-staging.sql's
-- add_key_dropping_repeats: a timestamp from two files kept once). First, because the merge below names the key in
-- ON CONFLICT, which must exist when the statement is planned, even to insert nothing.
SELECT pg_temp.add_key_dropping_repeats('time', 'time_pkey', 'start_time') WHERE (SELECT time_bulk FROM load_mode);

-- Otherwise they were staged in stage_time: merged in key order, the timestamps `time` already holds kept as they are.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT DISTINCT ON (start_time) start_time, hour, day, week, month, year, weekday
FROM stage_time
WHERE NOT (SELECT time_bulk FROM load_mode)
ORDER BY start_time
ON CONFLICT (start_time) DO NOTHING;
