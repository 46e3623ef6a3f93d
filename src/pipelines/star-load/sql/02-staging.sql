-- Per-run staging, private to the load's transaction and dropped at its end.
-- Memory for this transaction only. temp_buffers cannot change once the session has used a temporary table at
-- another size; the load then keeps that size rather than fail. Sorts and the index builds get enough memory to stay
-- off disk for loads of a few million events.
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

-- The plays, already matched to the catalog by the loader, when songplays holds earlier loads: they are merged in by
-- 08-songplays.sql. A first load COPYs them straight into songplays instead (06-load-targets.sql).
CREATE TEMPORARY TABLE stage_songplays (LIKE songplays) ON COMMIT DROP;

-- The plays' time rows, when `time` holds earlier loads: merged in by 07-time.sql (a first load COPYs them into time).
CREATE TEMPORARY TABLE stage_time (LIKE time) ON COMMIT DROP;

-- Each user's latest observation in this load (the loader keeps one per user: the latest play by ts, session_id,
-- item_in_session, the first in input order on a tie), for 10-users.sql.
CREATE TEMPORARY TABLE stage_users (
  user_id          integer NOT NULL,
  first_name       text,
  last_name        text,
  gender           text,
  level            text NOT NULL,
  ts               bigint NOT NULL,
  session_id       integer NOT NULL,
  item_in_session  integer NOT NULL
) ON COMMIT DROP;

-- What 08-songplays.sql merged in, for 09-songplays-rematch.sql, and the input's repeated plays it dropped, for the
-- load's counts.
CREATE TEMPORARY TABLE load_counts (songplays_inserted bigint NOT NULL, songplays_repeats bigint NOT NULL DEFAULT 0) ON COMMIT DROP;
