-- Appended to the one-shot load's 60-users.sql. A user's row is their latest play's: a run of an earlier interval
-- (a backfill) leaves a later level alone; the same time (the interval run again) takes the rule's pick again.
ON CONFLICT (user_id) DO UPDATE SET
  first_name = excluded.first_name, last_name = excluded.last_name, gender = excluded.gender,
  level = excluded.level, level_at = excluded.level_at
WHERE excluded.level_at >= users.level_at
