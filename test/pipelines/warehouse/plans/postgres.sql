-- target: postgres
-- 1. prepare (idempotent; nothing existing is changed)

-- star schema
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

-- staging tables
CREATE TABLE IF NOT EXISTS staging_songs (
  num_songs         integer,
  artist_id         text,
  artist_latitude   double precision,
  artist_longitude  double precision,
  artist_location   text,
  artist_name       text,
  song_id           text,
  title             text,
  duration          double precision,
  year              integer
);

CREATE TABLE IF NOT EXISTS staging_events (
  artist         text,
  auth           text,
  firstname      text,
  gender         text,
  iteminsession  integer,
  lastname       text,
  length         double precision,
  level          text,
  location       text,
  method         text,
  page           text,
  registration   double precision,
  sessionid      integer,
  song           text,
  status         integer,
  ts             timestamp,
  useragent      text,
  userid         integer
);

-- load errors
CREATE TABLE IF NOT EXISTS load_errors (
  load_id      text,
  table_name   text,
  file         text,
  line         integer,
  column_name  text,
  reason       text,
  raw          text
);

-- fresh load tables
DROP TABLE IF EXISTS staging_songs_load;
CREATE TABLE staging_songs_load (
  num_songs         integer,
  artist_id         text,
  artist_latitude   double precision,
  artist_longitude  double precision,
  artist_location   text,
  artist_name       text,
  song_id           text,
  title             text,
  duration          double precision,
  year              integer
);

DROP TABLE IF EXISTS staging_events_load;
CREATE TABLE staging_events_load (
  artist         text,
  auth           text,
  firstname      text,
  gender         text,
  iteminsession  integer,
  lastname       text,
  length         double precision,
  level          text,
  location       text,
  method         text,
  page           text,
  registration   double precision,
  sessionid      integer,
  song           text,
  status         integer,
  ts             timestamp,
  useragent      text,
  userid         integer
);

-- 2. stage: COPY into the _load tables (a failed COPY changes nothing else)

-- COPY staging_songs
-- COPY staging_songs_load FROM 's3://udacity-dend/song_data' JSON 'auto' MAXERROR 10
--   run by sparkify: objects streamed from the store (gzip recognised), records converted with Redshift's COPY rules,
--   rejects written to load_errors, rows bulk-loaded with COPY FROM STDIN.
--   path: fast (worker threads from 32 MB of input or 1,000 small S3 objects; a byte scanner for plain records)

-- COPY staging_events
-- COPY staging_events_load FROM 's3://udacity-dend/log_data' JSON 's3://udacity-dend/log_json_path.json' TIMEFORMAT 'epochmillisecs' MAXERROR 10
--   run by sparkify: objects streamed from the store (gzip recognised), records converted with Redshift's COPY rules,
--   rejects written to load_errors, rows bulk-loaded with COPY FROM STDIN.
--   path: fast (worker threads from 32 MB of input or 1,000 small S3 objects; a byte scanner for plain records)

-- 3. swap the new staging in and rebuild the star schema, in one transaction
BEGIN;

-- 10-swap-staging
-- The freshly loaded staging tables replace the previous ones, in the transaction that rebuilds the star schema:
-- a load that fails before this point leaves the previous staging and star tables as they were.
DROP TABLE IF EXISTS staging_songs;
ALTER TABLE staging_songs_load RENAME TO staging_songs;
DROP TABLE IF EXISTS staging_events;
ALTER TABLE staging_events_load RENAME TO staging_events;

-- 20-clear-star
-- The star schema is rebuilt from staging, which holds everything the sources hold. On PostgreSQL TRUNCATE is
-- transactional (a failed load rolls it back) and leaves no dead rows behind, unlike DELETE.
TRUNCATE songplays, songs, artists, users, time;
-- The transform sorts and hashes about a million rows several times (the users' latest level, the distinct times,
-- the plays' duplicates) and builds four indexes over as many rows: with the defaults (4 MB, 64 MB) those spill to
-- disk. For this transaction only.
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '256MB';
-- The big tables are filled bare and their keys and indexes built once each by 99-drop-temporary.sql: one sorted
-- build per index is much cheaper than maintaining four on songplays row by row
-- (docs/decisions/2026-12-01-warehouse-postgres-transform.md). Nothing references these keys, and the transaction's
-- lock keeps every reader out until they are back.
ALTER TABLE songplays DROP CONSTRAINT songplays_pkey;
DROP INDEX songplays_start_time_idx;
DROP INDEX songplays_user_id_idx;
ALTER TABLE time DROP CONSTRAINT time_pkey;

-- 30-plays
-- The plays: NextSong events with a logged-in user and a song, as the Postgres model stages them (there, other
-- events are filtered and the rest quarantined at read time; here COPY loaded every event, so the rule is SQL).
CREATE TEMPORARY TABLE staging_plays AS
SELECT CAST(sessionid AS VARCHAR(16)) || ':' || CAST(iteminsession AS VARCHAR(16)) || ':' || CAST(userid AS VARCHAR(16)) AS songplay_id,
       ts, userid, firstname, lastname, gender, level, song, artist, length, sessionid, iteminsession, location, useragent
FROM staging_events
WHERE page = 'NextSong'
  AND userid > 0
  AND song IS NOT NULL AND artist IS NOT NULL
  AND ts IS NOT NULL AND sessionid IS NOT NULL AND iteminsession IS NOT NULL
  AND level IS NOT NULL AND auth IS NOT NULL;

-- 31-catalog-songs
-- Song records complete enough for the catalog (the Postgres model quarantines the others at read time).
CREATE TEMPORARY TABLE staging_catalog_songs AS
SELECT song_id, title, artist_id, year, duration, artist_name, artist_location, artist_latitude, artist_longitude
FROM staging_songs
WHERE song_id IS NOT NULL AND title IS NOT NULL AND artist_id IS NOT NULL
  AND artist_name IS NOT NULL AND duration IS NOT NULL;

-- 40-artists
-- One row per artist: the most complete record (a location, then coordinates) wins, as in the Postgres model.
-- Staging keeps no input order (nor does Redshift's), so remaining ties are broken by content: the same input
-- always yields the same row on every engine.
INSERT INTO artists (artist_id, name, location, latitude, longitude)
SELECT artist_id, artist_name, location, artist_latitude, artist_longitude
FROM (
  SELECT artist_id, artist_name, NULLIF(TRIM(artist_location), '') AS location, artist_latitude, artist_longitude,
         ROW_NUMBER() OVER (
           PARTITION BY artist_id
           ORDER BY CASE WHEN NULLIF(TRIM(artist_location), '') IS NOT NULL THEN 0 ELSE 1 END,
                    CASE WHEN artist_latitude IS NOT NULL AND artist_longitude IS NOT NULL THEN 0 ELSE 1 END,
                    artist_name, artist_location NULLS LAST, artist_latitude NULLS LAST, artist_longitude NULLS LAST
         ) AS pick
  FROM staging_catalog_songs
) AS ranked
WHERE pick = 1;

-- 50-songs
-- One row per song; year 0 means unknown. A duplicated song_id keeps one record, chosen by content.
INSERT INTO songs (song_id, title, artist_id, year, duration)
SELECT song_id, title, artist_id, NULLIF(year, 0), duration
FROM (
  SELECT song_id, title, artist_id, year, duration,
         ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, year NULLS LAST, duration) AS pick
  FROM staging_catalog_songs
) AS ranked
WHERE pick = 1;

-- 60-users
-- A user's row carries the level of their latest play, and when that play happened (level_at).
INSERT INTO users (user_id, first_name, last_name, gender, level, level_at)
SELECT userid, firstname, lastname, gender, level, ts
FROM (
  SELECT userid, firstname, lastname, gender, level, ts,
         ROW_NUMBER() OVER (
           PARTITION BY userid
           ORDER BY ts DESC, sessionid DESC, iteminsession DESC,
                    level, firstname NULLS LAST, lastname NULLS LAST, gender NULLS LAST
         ) AS pick
  FROM staging_plays
  -- Only a user's plays at their latest time can be picked: ranking those few is a hash aggregate and a hash join,
  -- where ranking every play sorted them all.
  JOIN (SELECT userid AS latest_user, max(ts) AS latest_ts FROM staging_plays GROUP BY userid) AS latest
    ON latest_user = userid AND latest_ts = ts
) AS ranked
WHERE pick = 1;

-- 70-time
-- Every distinct play timestamp, broken down for roll-ups. weekday: 0 = Sunday … 6 = Saturday; week: ISO week.
-- date_part is EXTRACT's float8 form: EXTRACT returns numeric on PostgreSQL, much slower to compute
-- (docs/decisions/2026-12-01-warehouse-postgres-transform.md); every part here is a whole number, so the values are
-- the same as on the other targets.
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT ts,
       CAST(date_part('hour', ts) AS INTEGER), CAST(date_part('day', ts) AS INTEGER),
       CAST(date_part('week', ts) AS INTEGER), CAST(date_part('month', ts) AS INTEGER),
       CAST(date_part('year', ts) AS INTEGER), CAST(date_part('dow', ts) AS INTEGER)
FROM (SELECT DISTINCT ts FROM staging_plays) AS plays;

-- 80-catalog
-- What a play can match: one song per (title, artist name, duration), the artist name as the song's own record in
-- staging spells it (the course's join of staging_events to staging_songs.artist_name), not the one name `artists`
-- kept for the id; the smallest song_id when several share all three. A duplicated song_id counts once, as the record
-- 50-songs.sql keeps (its order); of records that differ only in the artist's spelling, the first name in order.
CREATE TEMPORARY TABLE song_catalog AS
SELECT title, artist_name, duration, song_id, artist_id
FROM (
  SELECT title, artist_name, duration, song_id, artist_id,
         ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id) AS pick
  FROM (
    SELECT song_id, title, artist_id, duration, artist_name,
           ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, year NULLS LAST, duration, artist_name) AS kept
    FROM staging_catalog_songs
  ) AS records
  WHERE kept = 1
) AS ranked
WHERE pick = 1;

-- 90-songplays
-- Plays matched to the catalog on title + artist name + duration. Events with the same natural key
-- (sessionId:itemInSession:userId) collapse into one play, the earliest (then by content): the rule of the other
-- targets. Repeated keys are rare, so on PostgreSQL only their plays go through the window's sort (a costly sort of
-- every play otherwise); every other play is inserted as it is. Temporary tables are never analyzed automatically;
-- without statistics the planner sorts every play, on disk, to merge-join them with the catalog instead of hashing
-- the small catalog (docs/decisions/2026-12-01-warehouse-postgres-transform.md).
ANALYZE staging_plays;
ANALYZE song_catalog;
CREATE TEMPORARY TABLE repeated_plays AS
SELECT songplay_id FROM staging_plays GROUP BY songplay_id HAVING count(*) > 1;
ANALYZE repeated_plays;

INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT p.songplay_id, p.ts, p.userid, p.level, c.song_id, c.artist_id, p.sessionid, p.location, p.useragent
FROM staging_plays p
LEFT JOIN song_catalog c ON c.title = p.song AND c.artist_name = p.artist AND c.duration = p.length
WHERE NOT EXISTS (SELECT 1 FROM repeated_plays r WHERE r.songplay_id = p.songplay_id);

INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT songplay_id, ts, userid, level, song_id, artist_id, sessionid, location, useragent
FROM (
  SELECT p.songplay_id, p.ts, p.userid, p.level, c.song_id, c.artist_id, p.sessionid, p.location, p.useragent,
         ROW_NUMBER() OVER (
           PARTITION BY p.songplay_id
           ORDER BY p.ts, p.level, p.song, p.artist, p.length NULLS LAST, p.location NULLS LAST, p.useragent NULLS LAST
         ) AS pick
  FROM staging_plays p
  JOIN repeated_plays r ON r.songplay_id = p.songplay_id
  LEFT JOIN song_catalog c ON c.title = p.song AND c.artist_name = p.artist AND c.duration = p.length
) AS ranked
WHERE pick = 1;

DROP TABLE repeated_plays;

-- 99-drop-temporary
DROP TABLE staging_plays;
DROP TABLE staging_catalog_songs;
DROP TABLE song_catalog;
-- The keys and indexes 20-clear-star.sql dropped, each built once over the finished table (the names are schema.sql's).
ALTER TABLE time ADD CONSTRAINT time_pkey PRIMARY KEY (start_time);
ALTER TABLE songplays ADD CONSTRAINT songplays_pkey PRIMARY KEY (songplay_id);
CREATE INDEX songplays_start_time_idx ON songplays (start_time);
CREATE INDEX songplays_user_id_idx ON songplays (user_id);

COMMIT;
