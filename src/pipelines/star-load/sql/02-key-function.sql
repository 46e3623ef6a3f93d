-- The primary key of a table the bulk path COPYed into bare (songplays in 08, time in 07, or in the session that
-- builds it beside: 02-time-beside.sql): one sorted build over the rows. Should the input repeat a key (rare), the
-- build fails: then every repeat after the first in input order (ctid: the COPY's order, the table being new) is
-- deleted and the key built again. The exception block undoes only the failed build. Returns the rows deleted (the
-- load reports songplays' as duplicates). In pg_temp, so it lasts the session at most; replaced by each load.
CREATE OR REPLACE FUNCTION pg_temp.add_key_dropping_repeats(tab regclass, key_name text, key_column text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  deleted bigint := 0;
BEGIN
  BEGIN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY (%I)', tab, key_name, key_column);
  EXCEPTION WHEN unique_violation THEN
    EXECUTE format('DELETE FROM %1$s WHERE ctid IN (SELECT ctid FROM (SELECT ctid, row_number() OVER (PARTITION BY %2$I ORDER BY ctid) AS n FROM %1$s) AS keyed WHERE n > 1)',
                   tab, key_column);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY (%I)', tab, key_name, key_column);
  END;
  RETURN deleted;
END $$;
