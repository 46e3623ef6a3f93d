-- $1 dag_id, $2 run_id, $3 task_id: every try of the task instance, first first.
SELECT try_number, state, hostname, start_date, end_date, error FROM orch_task_try
WHERE dag_id = $1 AND run_id = $2 AND task_id = $3
ORDER BY try_number
