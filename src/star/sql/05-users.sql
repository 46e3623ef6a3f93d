-- A user's row carries the level of their latest play; an older observation never overwrites a newer one.
-- The latest timestamp per user comes from a hash aggregate (one pass, no sort of every play); only the plays at
-- that timestamp go through DISTINCT ON, which breaks ties exactly as a sort of all plays would.
INSERT INTO users (user_id, first_name, last_name, gender, level, level_at)
SELECT DISTINCT ON (e.user_id)
       e.user_id, e.first_name, e.last_name, e.gender, e.level,
       timestamp '1970-01-01 00:00:00' + e.ts * interval '1 millisecond'
FROM stage_events e
JOIN (SELECT user_id, max(ts) AS ts FROM stage_events GROUP BY user_id) AS latest
  ON latest.user_id = e.user_id AND latest.ts = e.ts
ORDER BY e.user_id, e.ts DESC, e.session_id DESC, e.item_in_session DESC
ON CONFLICT (user_id) DO UPDATE
   SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, gender = EXCLUDED.gender,
       level = EXCLUDED.level, level_at = EXCLUDED.level_at
 WHERE EXCLUDED.level_at >= users.level_at
   AND (users.first_name, users.last_name, users.gender, users.level, users.level_at)
       IS DISTINCT FROM (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.gender, EXCLUDED.level, EXCLUDED.level_at);
