-- A user's row carries the level of their latest play, and when that play happened (level_at).
SELECT user_id, first_name, last_name, gender, level, start_time AS level_at
FROM (
  SELECT user_id, first_name, last_name, gender, level, start_time,
         ROW_NUMBER() OVER (
           PARTITION BY user_id
           ORDER BY ts DESC, session_id DESC, item_in_session DESC,
                    level, first_name NULLS LAST, last_name NULLS LAST, gender NULLS LAST
         ) AS pick
  FROM lake_plays
) AS ranked
WHERE pick = 1
