-- The limit of bench/lake.ts: the five lake tables as an analyst would write them by hand in DuckDB, reading the raw
-- JSON from S3 with read_json (DuckDB's own multi-threaded reader, explicit columns, no per-record checks, no
-- quarantine, no staging files) and writing each table with one COPY … TO 's3://…' (FORMAT parquet, PARTITION_BY …).
-- The same keys and the same picks as src/pipelines/lake/sql/ (so the row counts, and the contents, agree); written
-- the DuckDB way (DISTINCT ON … ORDER BY rather than ROW_NUMBER windows). {{in}} and {{out}} are s3:// prefixes.
SET TimeZone = 'UTC';

CREATE TEMP TABLE staging_songs AS
SELECT * FROM read_json('{{in}}/song_data/**/*.json', format = 'auto', columns = {
  num_songs: 'BIGINT', artist_id: 'VARCHAR', artist_latitude: 'DOUBLE', artist_longitude: 'DOUBLE', artist_location: 'VARCHAR',
  artist_name: 'VARCHAR', song_id: 'VARCHAR', title: 'VARCHAR', duration: 'DOUBLE', year: 'INTEGER'});

CREATE TEMP TABLE plays AS
SELECT CAST(sessionId AS VARCHAR) || ':' || CAST(itemInSession AS VARCHAR) || ':' || CAST(user_id AS VARCHAR) AS songplay_id,
       make_timestamp(ts * 1000) AS start_time, ts, user_id, firstName AS first_name, lastName AS last_name, gender, level,
       song, artist, length, sessionId AS session_id, itemInSession AS item_in_session, location, userAgent AS user_agent
FROM (SELECT *, TRY_CAST(userId AS INTEGER) AS user_id
      FROM read_json('{{in}}/log_data/**/*.json', format = 'newline_delimited', columns = {
        artist: 'VARCHAR', auth: 'VARCHAR', firstName: 'VARCHAR', gender: 'VARCHAR', itemInSession: 'INTEGER', lastName: 'VARCHAR',
        length: 'DOUBLE', level: 'VARCHAR', location: 'VARCHAR', method: 'VARCHAR', page: 'VARCHAR', registration: 'DOUBLE',
        sessionId: 'INTEGER', song: 'VARCHAR', status: 'BIGINT', ts: 'BIGINT', userAgent: 'VARCHAR', userId: 'VARCHAR'}))
WHERE page = 'NextSong' AND user_id > 0 AND song IS NOT NULL AND artist IS NOT NULL;

CREATE TEMP TABLE kept_songs AS
SELECT DISTINCT ON (song_id) song_id, title, artist_id, year, duration, artist_name
FROM staging_songs
ORDER BY song_id, title, artist_id, year NULLS LAST, duration, artist_name;

COPY (SELECT song_id, title, duration, NULLIF(year, 0) AS year, artist_id FROM kept_songs)
  TO '{{out}}/songs' (FORMAT parquet, PARTITION_BY (year, artist_id));

COPY (SELECT DISTINCT ON (artist_id) artist_id, artist_name AS name, NULLIF(TRIM(artist_location), '') AS location,
             artist_latitude AS latitude, artist_longitude AS longitude
      FROM staging_songs
      ORDER BY artist_id,
               CASE WHEN NULLIF(TRIM(artist_location), '') IS NOT NULL THEN 0 ELSE 1 END,
               CASE WHEN artist_latitude IS NOT NULL AND artist_longitude IS NOT NULL THEN 0 ELSE 1 END,
               artist_name, artist_location NULLS LAST, artist_latitude NULLS LAST, artist_longitude NULLS LAST)
  TO '{{out}}/artists/part-0.parquet' (FORMAT parquet);

COPY (SELECT DISTINCT ON (user_id) user_id, first_name, last_name, gender, level, start_time AS level_at
      FROM plays
      ORDER BY user_id, ts DESC, session_id DESC, item_in_session DESC, level, first_name NULLS LAST, last_name NULLS LAST, gender NULLS LAST)
  TO '{{out}}/users/part-0.parquet' (FORMAT parquet);

COPY (SELECT start_time, hour(start_time) AS hour, day(start_time) AS day, week(start_time) AS week, isodow(start_time) % 7 AS weekday,
             year(start_time) AS year, month(start_time) AS month
      FROM (SELECT DISTINCT start_time FROM plays))
  TO '{{out}}/time' (FORMAT parquet, PARTITION_BY (year, month));

COPY (SELECT DISTINCT ON (p.songplay_id) p.songplay_id, p.start_time, p.user_id, p.level, c.song_id, c.artist_id, p.session_id,
             p.location, p.user_agent, year(p.start_time) AS year, month(p.start_time) AS month
      FROM plays p
      LEFT JOIN (SELECT DISTINCT ON (title, artist_name, duration) title, artist_name, duration, song_id, artist_id
                 FROM kept_songs ORDER BY title, artist_name, duration, song_id) c
        ON c.title = p.song AND c.artist_name = p.artist AND c.duration = p.length
      ORDER BY p.songplay_id, p.ts, p.level, p.song, p.artist, p.length NULLS LAST, p.location NULLS LAST, p.user_agent NULLS LAST)
  TO '{{out}}/songplays' (FORMAT parquet, PARTITION_BY (year, month));
