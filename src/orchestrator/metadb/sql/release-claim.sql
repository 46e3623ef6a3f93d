-- A stopping worker gives back a task instance it claimed but will not finish: $1 dag_id, $2 run_id, $3 task_id,
-- $4 worker, $5 try_number (the claim must still be this worker's on this try), $6 now, $7 why. The instance goes
-- back to queued for another worker; the released try stays in orch_task_try (ended, state 'queued', with why), and
-- max_tries grows by one so that a release, which is no failure of the task, never uses up one of its retries (not
-- for a rescheduled sensor's poke: its next claim stays on the same try, see claim-task-instances.sql).
WITH released AS (
  UPDATE orch_task_instance
  SET state = 'queued', queued_at = $6, claimed_by = NULL, lease_until = NULL, end_date = NULL, next_try_at = NULL,
      max_tries = max_tries + CASE WHEN rescheduled_since IS NULL THEN 1 ELSE 0 END
  WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND state = 'running' AND claimed_by = $4 AND try_number = $5
  RETURNING dag_id, run_id, task_id, try_number
)
UPDATE orch_task_try t
SET state = 'queued', end_date = $6, error = $7
FROM released r
WHERE t.dag_id = r.dag_id AND t.run_id = r.run_id AND t.task_id = r.task_id AND t.try_number = r.try_number
RETURNING t.try_number
