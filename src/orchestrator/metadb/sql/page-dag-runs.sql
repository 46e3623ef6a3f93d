-- A page of runs for the REST API: $1 dag_id (null: every DAG's), $2 states (null: any), $3 limit, $4 offset; oldest
-- queued first (Airflow's default order, by creation), with the count of all that match on every row.
SELECT dag_id, run_id, version, run_type, state, logical_date, data_interval_start, data_interval_end, conf, queued_at,
       start_date, end_date, backfill_id, count(*) OVER ()::int AS total_entries
FROM orch_dag_run
WHERE ($1::text IS NULL OR dag_id = $1) AND ($2::text[] IS NULL OR state = ANY ($2::text[]))
ORDER BY queued_at, dag_id, run_id
LIMIT $3 OFFSET $4
