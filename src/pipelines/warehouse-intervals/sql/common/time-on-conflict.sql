-- Appended to the one-shot load's 70-time.sql: a timestamp's parts never change.
ON CONFLICT (start_time) DO NOTHING
