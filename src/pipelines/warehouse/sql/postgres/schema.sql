-- The star schema on a PostgreSQL server standing in for Redshift: the same tables, keys and columns as the
-- Postgres model (src/pipelines/star-load/sql/01-schema.sql). Idempotent: safe to run before every load.
CREATE TABLE IF NOT EXISTS artists (
  artist_id  text PRIMARY KEY,
  name       text NOT NULL,
  location   text,
  latitude   double precision,
  longitude  double precision
);

CREATE TABLE IF NOT EXISTS songs (
  song_id    text PRIMARY KEY,
  title      text NOT NULL,
  artist_id  text NOT NULL REFERENCES artists (artist_id),
  year       integer,
  duration   double precision NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
  user_id     integer PRIMARY KEY,
  first_name  text,
  last_name   text,
  gender      text,
  level       text NOT NULL,
  level_at    timestamp NOT NULL
);

CREATE TABLE IF NOT EXISTS time (
  start_time  timestamp PRIMARY KEY,
  hour        integer NOT NULL,
  day         integer NOT NULL,
  week        integer NOT NULL,
  month       integer NOT NULL,
  year        integer NOT NULL,
  weekday     integer NOT NULL
);

CREATE TABLE IF NOT EXISTS songplays (
  songplay_id  text PRIMARY KEY,
  start_time   timestamp NOT NULL,
  user_id      integer NOT NULL,
  level        text NOT NULL,
  song_id      text,
  artist_id    text,
  session_id   integer NOT NULL,
  location     text,
  user_agent   text
);
CREATE INDEX IF NOT EXISTS songplays_start_time_idx ON songplays (start_time);
CREATE INDEX IF NOT EXISTS songplays_user_id_idx ON songplays (user_id);
