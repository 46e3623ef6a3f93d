-- $1 dag_id, $2 run_id, $3 task_id, $4 key.
SELECT value FROM orch_task_result WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND key = $4
