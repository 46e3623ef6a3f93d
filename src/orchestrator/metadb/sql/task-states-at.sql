-- $1 dag_id, $2 logical dates: how many task instances of the DAG's runs at those dates are in each state, and how
-- many tries they took (a backfill's progress and summary).
SELECT t.state, count(*)::int AS n, coalesce(sum(t.try_number), 0)::int AS tries
FROM orch_task_instance t
JOIN orch_dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id
WHERE t.dag_id = $1 AND r.logical_date = ANY ($2::timestamptz[])
GROUP BY t.state
