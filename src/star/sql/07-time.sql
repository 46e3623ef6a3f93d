-- The time rows the loader COPYed: one per distinct play timestamp of each log file, its parts computed as date_part
-- computes them (star/time-rows.ts; weekday: 0 = Sunday … 6 = Saturday; week: ISO week). A timestamp can still come
-- twice, from two files (log files hold a day each, so rarely).
-- On the bulk path (06-load-targets.sql) they went into the bare table, and the key is built over them, one sorted
-- build; should it fail on a repeat, the repeats after the first (ctid: the COPY's order, the table being new) are
-- deleted and the key built again, inside an exception block, as 08-songplays.sql does for the plays. First, because
-- the merge below names the key in ON CONFLICT, which must exist when the statement is planned, even to insert nothing.
DO $$ BEGIN
  IF (SELECT time_bulk FROM load_mode) THEN
    BEGIN
      ALTER TABLE time ADD CONSTRAINT time_pkey PRIMARY KEY (start_time);
    EXCEPTION WHEN unique_violation THEN
      DELETE FROM time
       WHERE ctid IN (SELECT ctid
                        FROM (SELECT ctid, row_number() OVER (PARTITION BY start_time ORDER BY ctid) AS n FROM time) AS times
                       WHERE n > 1);
      ALTER TABLE time ADD CONSTRAINT time_pkey PRIMARY KEY (start_time);
    END;
  END IF;
END $$;

-- Otherwise they were staged in stage_time: merged in key order, the timestamps `time` already holds kept as they are.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT DISTINCT ON (start_time) start_time, hour, day, week, month, year, weekday
FROM stage_time
WHERE NOT (SELECT time_bulk FROM load_mode)
ORDER BY start_time
ON CONFLICT (start_time) DO NOTHING;
