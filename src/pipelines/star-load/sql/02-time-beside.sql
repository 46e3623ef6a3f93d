-- On a server, a first load builds `time` beside the fact table (apply-star-load.ts, timeBeside): once the plays are
-- COPYed, a second connection COPYs the time rows into a table of its own ("sparkify_time_" and 12 hex digits), builds
-- its key (02-key-function.sql) and commits, while this transaction builds songplays' key and indexes. This one then
-- puts that table in the place of its own `time`, which it created, and which is still empty. Nobody sees the change
-- before this transaction commits; if it does not, the loader drops the other table, and the previous state stays.

-- The other connection's search_path (the schema of this transaction's `time`) and its CREATE TABLE: `time`'s columns,
-- types and NOT NULLs as this transaction created them (01-schema.sql; the key is built after the COPY). Takes the
-- advisory lock that marks `beside` as this load's until it ends. A table of that form left by a load that died (its
-- lock free: a live load holds its own) is dropped first.
CREATE OR REPLACE FUNCTION pg_temp.time_beside_begin(beside text) RETURNS TABLE (search_path text, ddl text)
LANGUAGE plpgsql AS $$
DECLARE
  space oid := (SELECT relnamespace FROM pg_class WHERE oid = 'time'::regclass);
  stale text;
BEGIN
  IF beside !~ '^sparkify_time_[0-9a-f]{12}$' OR NOT (SELECT time_bulk FROM load_mode) THEN
    RAISE EXCEPTION 'time is built beside only on a first load, into a sparkify_time_ table (not %)', beside;
  END IF;
  PERFORM pg_advisory_xact_lock(1397771083, hashtext(beside));
  FOR stale IN SELECT relname FROM pg_class
               WHERE relnamespace = space AND relkind = 'r' AND relname ~ '^sparkify_time_[0-9a-f]{12}$' AND relname <> beside
  LOOP
    IF pg_try_advisory_xact_lock(1397771083, hashtext(stale)) THEN
      EXECUTE format('DROP TABLE %I.%I', (SELECT nspname FROM pg_namespace WHERE oid = space), stale);
    END IF;
  END LOOP;
  RETURN QUERY
  SELECT quote_ident(nspname::text),
         format('CREATE TABLE %I (%s)', beside,
                (SELECT string_agg(format('%I %s%s', attname, format_type(atttypid, atttypmod), CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END), ', ' ORDER BY attnum)
                 FROM pg_attribute WHERE attrelid = 'time'::regclass AND attnum > 0 AND NOT attisdropped))
  FROM pg_namespace WHERE oid = space;
END $$;

-- The table built beside, committed with its key, in the place of this transaction's empty `time`.
CREATE OR REPLACE FUNCTION pg_temp.time_beside_swap(beside text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  space text := (SELECT quote_ident(nspname::text) FROM pg_namespace WHERE oid = (SELECT relnamespace FROM pg_class WHERE oid = 'time'::regclass));
BEGIN
  IF NOT (SELECT time_bulk FROM load_mode) OR EXISTS (SELECT FROM time) THEN
    RAISE EXCEPTION 'time is replaced only on a first load, while it is empty';
  END IF;
  DROP TABLE time;
  EXECUTE format('ALTER TABLE %s.%I RENAME TO time', space, beside);
  EXECUTE format('ALTER INDEX %s.%I RENAME TO time_pkey', space, beside || '_pkey');
END $$;
