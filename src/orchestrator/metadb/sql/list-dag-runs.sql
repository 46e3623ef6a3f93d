-- $1 dag_id, $2 states (null: any), $3 limit: newest logical date first.
SELECT dag_id, run_id, version, run_type, state, logical_date, data_interval_start, data_interval_end, conf, queued_at,
       start_date, end_date, backfill_id
FROM orch_dag_run
WHERE dag_id = $1 AND ($2::text[] IS NULL OR state = ANY ($2::text[]))
ORDER BY logical_date DESC
LIMIT $3
