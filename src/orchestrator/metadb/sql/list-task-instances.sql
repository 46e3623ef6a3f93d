-- $1 dag_id, $2 run_id.
SELECT dag_id, run_id, task_id, state, try_number, max_tries, pool, priority_weight, queued_at, start_date, end_date,
       next_try_at, claimed_by, lease_until
FROM orch_task_instance
WHERE dag_id = $1 AND run_id = $2
ORDER BY task_id
