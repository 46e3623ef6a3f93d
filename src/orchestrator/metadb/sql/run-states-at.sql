-- $1 dag_id, $2 logical dates: how many of the DAG's runs at those dates are in each state (a backfill's progress).
SELECT state, count(*)::int AS n FROM orch_dag_run
WHERE dag_id = $1 AND logical_date = ANY ($2::timestamptz[])
GROUP BY state
