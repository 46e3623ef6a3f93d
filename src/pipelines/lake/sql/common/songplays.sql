-- Plays matched to the catalog on title + artist name + duration. Events with the same natural key
-- (sessionId:itemInSession:userId) collapse into one play, the earliest (then by content).
SELECT songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent,
       CAST(EXTRACT(YEAR FROM start_time) AS INT) AS year, CAST(EXTRACT(MONTH FROM start_time) AS INT) AS month
FROM (
  SELECT p.songplay_id, p.start_time, p.user_id, p.level, c.song_id, c.artist_id, p.session_id, p.location, p.user_agent,
         ROW_NUMBER() OVER (
           PARTITION BY p.songplay_id
           ORDER BY p.ts, p.level, p.song, p.artist, p.length NULLS LAST, p.location NULLS LAST, p.user_agent NULLS LAST
         ) AS pick
  FROM lake_plays p
  LEFT JOIN lake_song_catalog c ON c.title = p.song AND c.artist_name = p.artist AND c.duration = p.length
) AS ranked
WHERE pick = 1
