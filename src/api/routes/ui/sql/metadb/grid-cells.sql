-- The task instances of a DAG's runs $2 (the grid's cells: state and try), in one query rather than one per run.
SELECT run_id, task_id, state, try_number
FROM orch_task_instance
WHERE dag_id = $1 AND run_id = ANY($2::text[])
