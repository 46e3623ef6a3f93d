-- The DAG's last $2 finished runs with how long each took, newest first.
SELECT run_id, logical_date, state, extract(epoch FROM end_date - start_date)::float8 AS seconds
FROM orch_dag_run
WHERE dag_id = $1 AND state IN ('success', 'failed') AND start_date IS NOT NULL AND end_date IS NOT NULL
ORDER BY logical_date DESC
LIMIT $2
