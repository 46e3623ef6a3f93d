-- $1 dag_id, $2 run_id.
SELECT dag_id, run_id, version, run_type, state, logical_date, data_interval_start, data_interval_end, conf, queued_at,
       start_date, end_date, backfill_id
FROM orch_dag_run WHERE dag_id = $1 AND run_id = $2
