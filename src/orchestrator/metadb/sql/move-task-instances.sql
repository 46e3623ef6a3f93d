-- The scheduler's set-based moves of one run's task instances that no worker holds: $1 dag_id, $2 run_id, $3 task
-- ids, $4 the new state (scheduled, queued, skipped, upstream_failed), $5 the states they must be in now
-- (compare-and-set: a row that moved meanwhile is left alone), $6 now, $7 whether the new state ends the instance
-- (skipped, upstream_failed: end_date is stamped). Returns the ids that moved.
UPDATE orch_task_instance
SET state = $4,
    queued_at = CASE WHEN $4 = 'queued' THEN $6 ELSE queued_at END,
    end_date = CASE WHEN $7 THEN $6 ELSE end_date END,
    next_try_at = NULL
WHERE dag_id = $1 AND run_id = $2 AND task_id = ANY ($3::text[]) AND state = ANY ($5::text[])
RETURNING task_id
