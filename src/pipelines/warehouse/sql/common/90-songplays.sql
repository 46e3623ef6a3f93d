-- Plays matched to the catalog on title + artist name + duration. Events with the same natural key
-- (sessionId:itemInSession:userId) collapse into one play, the earliest (then by content).
INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT songplay_id, ts, userid, level, song_id, artist_id, sessionid, location, useragent
FROM (
  SELECT p.songplay_id, p.ts, p.userid, p.level, c.song_id, c.artist_id, p.sessionid, p.location, p.useragent,
         ROW_NUMBER() OVER (
           PARTITION BY p.songplay_id
           ORDER BY p.ts, p.level, p.song, p.artist, p.length NULLS LAST, p.location NULLS LAST, p.useragent NULLS LAST
         ) AS pick
  FROM staging_plays p
  LEFT JOIN song_catalog c ON c.title = p.song AND c.artist_name = p.artist AND c.duration = p.length
) AS ranked
WHERE pick = 1;
