-- $1 dag_id, $2 from_date, $3 to_date, $4 reprocess, $5 max_active_runs, $6 now.
INSERT INTO orch_backfill (dag_id, from_date, to_date, reprocess, max_active_runs, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
RETURNING id, dag_id, from_date, to_date, reprocess, max_active_runs, created_at, updated_at, completed_at
