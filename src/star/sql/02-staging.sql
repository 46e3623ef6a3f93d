-- Per-run staging, private to the load's transaction and dropped at its end.
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
