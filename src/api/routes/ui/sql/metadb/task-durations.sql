-- How long each task's successful try took in the DAG's last $2 runs (a task's trend over runs).
SELECT ti.run_id, r.logical_date, ti.task_id, extract(epoch FROM ti.end_date - ti.start_date)::float8 AS seconds
FROM (SELECT run_id, logical_date FROM orch_dag_run WHERE dag_id = $1 ORDER BY logical_date DESC LIMIT $2) r
JOIN orch_task_instance ti ON ti.dag_id = $1 AND ti.run_id = r.run_id
WHERE ti.state = 'success' AND ti.start_date IS NOT NULL AND ti.end_date IS NOT NULL
ORDER BY r.logical_date, ti.task_id
