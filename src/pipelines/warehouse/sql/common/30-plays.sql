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
