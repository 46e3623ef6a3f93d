-- Every distinct play timestamp, broken down for roll-ups. weekday: 0 = Sunday … 6 = Saturday; week: ISO week.
-- date_part is extract's float8 form (extract returns numeric, several times slower to compute); every part here is
-- a whole number, so the values are the same. Rows go in key order, so the primary key grows at its right edge.
-- Two statements, of which the one-time condition at the end runs exactly one: when this transaction created the
-- table (its pg_class row is ours), nobody else can see it and it is empty, so the distinct timestamps cannot
-- conflict and a plain INSERT gives the same rows without the per-row cost of ON CONFLICT.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT t, date_part('hour', t)::int, date_part('day', t)::int, date_part('week', t)::int,
       date_part('month', t)::int, date_part('year', t)::int, date_part('dow', t)::int
FROM (SELECT DISTINCT timestamp '1970-01-01 00:00:00' + ts * interval '1 millisecond' AS t FROM stage_events) AS plays
WHERE (SELECT xmin = pg_current_xact_id()::xid FROM pg_class WHERE oid = 'time'::regclass)
ORDER BY t;

INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT t, date_part('hour', t)::int, date_part('day', t)::int, date_part('week', t)::int,
       date_part('month', t)::int, date_part('year', t)::int, date_part('dow', t)::int
FROM (SELECT DISTINCT timestamp '1970-01-01 00:00:00' + ts * interval '1 millisecond' AS t FROM stage_events) AS plays
WHERE (SELECT xmin <> pg_current_xact_id()::xid FROM pg_class WHERE oid = 'time'::regclass)
ORDER BY t
ON CONFLICT (start_time) DO NOTHING;
