-- $1 dag_id, $2 run ids: the task instances of those runs, for one pass of the scheduler's decisions over them.
SELECT run_id, task_id, state, next_try_at FROM orch_task_instance
WHERE dag_id = $1 AND run_id = ANY ($2::text[])
ORDER BY run_id, task_id
