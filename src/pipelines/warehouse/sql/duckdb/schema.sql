-- The star schema in DuckDB: the same tables, keys and columns as the Postgres model (src/pipelines/star-load/sql/01-schema.sql),
-- in DuckDB's type names. Idempotent: safe to run before every load.
CREATE TABLE IF NOT EXISTS artists (
  artist_id  VARCHAR PRIMARY KEY,
  name       VARCHAR NOT NULL,
  location   VARCHAR,
  latitude   DOUBLE,
  longitude  DOUBLE
);

CREATE TABLE IF NOT EXISTS songs (
  song_id    VARCHAR PRIMARY KEY,
  title      VARCHAR NOT NULL,
  artist_id  VARCHAR NOT NULL,
  year       INTEGER,
  duration   DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
  user_id     INTEGER PRIMARY KEY,
  first_name  VARCHAR,
  last_name   VARCHAR,
  gender      VARCHAR,
  level       VARCHAR NOT NULL,
  level_at    TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS time (
  start_time  TIMESTAMP PRIMARY KEY,
  hour        INTEGER NOT NULL,
  day         INTEGER NOT NULL,
  week        INTEGER NOT NULL,
  month       INTEGER NOT NULL,
  year        INTEGER NOT NULL,
  weekday     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS songplays (
  songplay_id  VARCHAR PRIMARY KEY,
  start_time   TIMESTAMP NOT NULL,
  user_id      INTEGER NOT NULL,
  level        VARCHAR NOT NULL,
  song_id      VARCHAR,
  artist_id    VARCHAR,
  session_id   INTEGER NOT NULL,
  location     VARCHAR,
  user_agent   VARCHAR
);
