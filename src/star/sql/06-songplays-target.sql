-- Where the plays go. When this transaction created songplays (its pg_class row is ours), nobody else can see the
-- table and it is empty: the bulk path drops its primary key, the loader COPYs the plays straight into the bare table
-- and 08-songplays.sql adds the key back, removing duplicate plays first if there are any. Otherwise the plays are
-- staged in stage_songplays and merged with ON CONFLICT. Decided once, before anything changes songplays' row.
CREATE TEMPORARY TABLE load_mode ON COMMIT DROP AS
SELECT xmin = pg_current_xact_id()::xid AS bulk FROM pg_class WHERE oid = 'songplays'::regclass;

DO $$ BEGIN
  IF (SELECT bulk FROM load_mode) THEN
    ALTER TABLE songplays DROP CONSTRAINT songplays_pkey;
  END IF;
END $$;
