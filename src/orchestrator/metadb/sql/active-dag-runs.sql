-- $1 dag_id: its queued and running runs, oldest logical date first (the order queued runs start in), each with its
-- backfill's max_active_runs when it belongs to one (its times: for metrics and deadlines).
SELECT r.run_id, r.run_type, r.state, r.version, r.logical_date, r.data_interval_start, r.data_interval_end, r.queued_at, r.start_date, r.backfill_id, b.max_active_runs AS backfill_max_active_runs
FROM orch_dag_run r
LEFT JOIN orch_backfill b ON b.id = r.backfill_id
WHERE r.dag_id = $1 AND r.state IN ('queued', 'running')
ORDER BY r.logical_date, r.run_id
