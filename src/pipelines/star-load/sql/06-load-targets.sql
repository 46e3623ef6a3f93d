-- Where the plays and their time rows go. When this transaction created songplays (its pg_class row is ours), nobody
-- else can see the table and it is empty: the bulk path drops its primary key, the loader COPYs the plays straight
-- into the bare table and 08-songplays.sql adds the key back, removing duplicate plays first if there are any.
-- Otherwise the plays are staged in stage_songplays and merged with ON CONFLICT. `time` is decided the same way, on
-- its own (07-time.sql). Decided once, before anything changes the tables' rows in pg_class.
CREATE TEMPORARY TABLE load_mode ON COMMIT DROP AS
SELECT (SELECT xmin = pg_current_xact_id()::xid FROM pg_class WHERE oid = 'songplays'::regclass) AS bulk,
       (SELECT xmin = pg_current_xact_id()::xid FROM pg_class WHERE oid = 'time'::regclass) AS time_bulk;

DO $$ BEGIN
  IF (SELECT bulk FROM load_mode) THEN
    ALTER TABLE songplays DROP CONSTRAINT songplays_pkey;
  END IF;
  IF (SELECT time_bulk FROM load_mode) THEN
    ALTER TABLE time DROP CONSTRAINT time_pkey;
  END IF;
END $$;
