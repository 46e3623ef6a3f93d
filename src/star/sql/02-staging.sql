-- Per-run staging, private to the load's transaction and dropped at its end.
-- Memory for this transaction only. The staged events are scanned by several statements: with the default 8 MB
-- of temp_buffers each scan goes through the kernel. temp_buffers cannot change once the session has used a temporary
-- table at another size; the load then keeps that size rather than fail. Sorts and the index builds of
-- 10-songplays-indexes.sql get enough memory to stay off disk for loads of a few million events.
DO $$ BEGIN SET LOCAL temp_buffers = '1GB'; EXCEPTION WHEN invalid_parameter_value THEN NULL; END $$;
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '256MB';

CREATE TEMPORARY TABLE stage_songs (
  seq               integer NOT NULL,
  song_id           text NOT NULL,
  title             text NOT NULL,
  artist_id         text NOT NULL,
  year              integer,
  duration          double precision NOT NULL,
  artist_name       text NOT NULL,
  artist_location   text,
  artist_latitude   double precision,
  artist_longitude  double precision
) ON COMMIT DROP;

-- Only NextSong events are staged: the other pages feed no table of the star schema.
CREATE TEMPORARY TABLE stage_events (
  ts               bigint NOT NULL,
  user_id          integer NOT NULL,
  first_name       text,
  last_name        text,
  gender           text,
  level            text NOT NULL,
  song             text NOT NULL,
  artist           text NOT NULL,
  length           double precision,
  session_id       integer NOT NULL,
  item_in_session  integer NOT NULL,
  location         text,
  user_agent       text
) ON COMMIT DROP;

-- What 08-songplays.sql inserted, for 09-songplays-rematch.sql.
CREATE TEMPORARY TABLE load_counts (songplays_inserted bigint NOT NULL) ON COMMIT DROP;
