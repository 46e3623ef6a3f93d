-- Every try of every task of one run (the gantt chart), in the order they started.
SELECT task_id, try_number, state, start_date, end_date
FROM orch_task_try
WHERE dag_id = $1 AND run_id = $2
ORDER BY start_date, task_id, try_number
