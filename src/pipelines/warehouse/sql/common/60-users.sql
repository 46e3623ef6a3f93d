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
  -- Only a user's plays at their latest time can be picked: ranking those few is a hash aggregate and a hash join,
  -- where ranking every play sorted them all.
  JOIN (SELECT userid AS latest_user, max(ts) AS latest_ts FROM staging_plays GROUP BY userid) AS latest
    ON latest_user = userid AND latest_ts = ts
) AS ranked
WHERE pick = 1;
