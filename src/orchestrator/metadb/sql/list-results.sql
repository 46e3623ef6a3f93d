-- $1 dag_id, $2 run_id, $3 task_id: every result a task instance stored, by key.
SELECT key, value, created_at FROM orch_task_result WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 ORDER BY key
