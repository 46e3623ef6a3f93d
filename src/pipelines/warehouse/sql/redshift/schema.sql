-- The star schema on Amazon Redshift: the same tables and columns, with distribution and sort keys.
-- Keys are informational on Redshift (not enforced): the transform guarantees them.
-- Text is VARCHAR(256) for identifiers and short codes and VARCHAR(65535) for free text (titles, names, user agents),
-- whose length the sources do not bound.

-- Small dimension: a copy on every node (DISTSTYLE ALL), so joins to it never move data.
CREATE TABLE IF NOT EXISTS artists (
  artist_id  VARCHAR(256) NOT NULL PRIMARY KEY,
  name       VARCHAR(65535) NOT NULL,
  location   VARCHAR(65535),
  latitude   DOUBLE PRECISION,
  longitude  DOUBLE PRECISION
)
DISTSTYLE ALL
SORTKEY (artist_id);

-- The largest dimension: distributed on song_id like the fact table, so the fact-to-song join is node-local.
CREATE TABLE IF NOT EXISTS songs (
  song_id    VARCHAR(256) NOT NULL PRIMARY KEY,
  title      VARCHAR(65535) NOT NULL,
  artist_id  VARCHAR(256) NOT NULL REFERENCES artists (artist_id),
  year       INTEGER,
  duration   DOUBLE PRECISION NOT NULL
)
DISTSTYLE KEY
DISTKEY (song_id)
SORTKEY (song_id);

-- Small dimension (thousands of users, not millions of plays): DISTSTYLE ALL.
CREATE TABLE IF NOT EXISTS users (
  user_id     INTEGER NOT NULL PRIMARY KEY,
  first_name  VARCHAR(256),
  last_name   VARCHAR(256),
  gender      VARCHAR(256),
  level       VARCHAR(256) NOT NULL,
  level_at    TIMESTAMP NOT NULL
)
DISTSTYLE ALL
SORTKEY (user_id);

-- One row per play timestamp, as large as the fact: distributed and sorted on start_time, so time-range scans
-- skip blocks and each node joins its own slice of the calendar.
CREATE TABLE IF NOT EXISTS time (
  start_time  TIMESTAMP NOT NULL PRIMARY KEY,
  hour        INTEGER NOT NULL,
  day         INTEGER NOT NULL,
  week        INTEGER NOT NULL,
  month       INTEGER NOT NULL,
  year        INTEGER NOT NULL,
  weekday     INTEGER NOT NULL
)
DISTSTYLE KEY
DISTKEY (start_time)
SORTKEY (start_time);

-- The fact: distributed on its main join key (song_id, co-located with songs) and sorted on time, which almost
-- every analytical query filters or groups by.
CREATE TABLE IF NOT EXISTS songplays (
  songplay_id  VARCHAR(256) NOT NULL PRIMARY KEY,
  start_time   TIMESTAMP NOT NULL,
  user_id      INTEGER NOT NULL,
  level        VARCHAR(256) NOT NULL,
  song_id      VARCHAR(256),
  artist_id    VARCHAR(256),
  session_id   INTEGER NOT NULL,
  location     VARCHAR(65535),
  user_agent   VARCHAR(65535)
)
DISTSTYLE KEY
DISTKEY (song_id)
SORTKEY (start_time);
