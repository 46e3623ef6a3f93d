-- $1 id.
SELECT id, dag_id, from_date, to_date, reprocess, max_active_runs, created_at, updated_at, completed_at
FROM orch_backfill WHERE id = $1
