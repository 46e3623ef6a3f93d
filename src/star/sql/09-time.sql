-- Every distinct play timestamp of this load, broken down for roll-ups. weekday: 0 = Sunday … 6 = Saturday; week: ISO
-- week. date_part is extract's float8 form (extract returns numeric, several times slower to compute); every part here
-- is a whole number, so the values are the same. Rows go in key order, so the primary key grows at its right edge.
-- The plays of this load are songplays itself on the bulk path, stage_songplays otherwise (one-time conditions: one
-- arm of the UNION is read).
-- Two statements, of which the one-time condition at the end runs exactly one: when this transaction created the
-- table (its pg_class row is ours), nobody else can see it and it is empty, so the distinct timestamps cannot
-- conflict and a plain INSERT gives the same rows without the per-row cost of ON CONFLICT.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT t, date_part('hour', t)::int, date_part('day', t)::int, date_part('week', t)::int,
       date_part('month', t)::int, date_part('year', t)::int, date_part('dow', t)::int
FROM (SELECT start_time AS t FROM songplays WHERE (SELECT bulk FROM load_mode)
      UNION
      SELECT start_time FROM stage_songplays WHERE NOT (SELECT bulk FROM load_mode)) AS plays
WHERE (SELECT xmin = pg_current_xact_id()::xid FROM pg_class WHERE oid = 'time'::regclass)
ORDER BY t;

INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT t, date_part('hour', t)::int, date_part('day', t)::int, date_part('week', t)::int,
       date_part('month', t)::int, date_part('year', t)::int, date_part('dow', t)::int
FROM (SELECT start_time AS t FROM songplays WHERE (SELECT bulk FROM load_mode)
      UNION
      SELECT start_time FROM stage_songplays WHERE NOT (SELECT bulk FROM load_mode)) AS plays
WHERE (SELECT xmin <> pg_current_xact_id()::xid FROM pg_class WHERE oid = 'time'::regclass)
ORDER BY t
ON CONFLICT (start_time) DO NOTHING;
