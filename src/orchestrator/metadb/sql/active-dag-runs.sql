-- $1 dag_id: its queued and running runs, oldest logical date first (the order queued runs start in).
SELECT run_id, run_type, state, version, logical_date FROM orch_dag_run
WHERE dag_id = $1 AND state IN ('queued', 'running')
ORDER BY logical_date, run_id
