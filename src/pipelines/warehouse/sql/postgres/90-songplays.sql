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
