-- A user's row carries the level of their latest play; an older observation never overwrites a newer one. The loader
-- staged one observation per user (their latest play in this load, see 02-staging.sql).
INSERT INTO users (user_id, first_name, last_name, gender, level, level_at)
SELECT user_id, first_name, last_name, gender, level, timestamp '1970-01-01 00:00:00' + ts * interval '1 millisecond'
FROM stage_users
ORDER BY user_id
ON CONFLICT (user_id) DO UPDATE
   SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, gender = EXCLUDED.gender,
       level = EXCLUDED.level, level_at = EXCLUDED.level_at
 WHERE EXCLUDED.level_at >= users.level_at
   AND (users.first_name, users.last_name, users.gender, users.level, users.level_at)
       IS DISTINCT FROM (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.gender, EXCLUDED.level, EXCLUDED.level_at);
