-- The plays: NextSong events of a logged-in user (a numeric userId above 0) with a song and an artist, inside the
-- run's interval; the warehouse's rule (warehouse/sql/common/30-plays.sql). `{{interval}}` is the plan's condition on
-- ts (TRUE for a full build). Timestamps are UTC: the engine's session time zone must be UTC.
SELECT CAST(sessionId AS STRING) || ':' || CAST(itemInSession AS STRING) || ':' || CAST(user_id AS STRING) AS songplay_id,
       timestamp_millis(ts) AS start_time, ts, user_id, firstName AS first_name, lastName AS last_name, gender, level,
       song, artist, length, sessionId AS session_id, itemInSession AS item_in_session, location, userAgent AS user_agent
FROM (SELECT *, TRY_CAST(userId AS INT) AS user_id FROM staging_events) AS events
WHERE page = 'NextSong'
  AND user_id > 0
  AND song IS NOT NULL AND artist IS NOT NULL
  AND {{interval}}
