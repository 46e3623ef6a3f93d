-- $1 dag_id, $2 run_id, $3 backfill id: an existing run a backfill re-runs (--reprocess) becomes one of its runs, so
-- it is admitted within that backfill's max_active_runs (as Airflow 3 moves a cleared run to the new backfill).
UPDATE orch_dag_run SET backfill_id = $3 WHERE dag_id = $1 AND run_id = $2
