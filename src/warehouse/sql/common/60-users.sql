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
) AS ranked
WHERE pick = 1;
