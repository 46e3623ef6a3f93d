-- $1 id, $2 reprocess, $3 max_active_runs (null: keep the one it has), $4 now: a backfill run again with the same
-- range takes this command's reprocess mode, and its cap when one was given.
UPDATE orch_backfill
SET reprocess = $2, max_active_runs = coalesce($3::int, max_active_runs), updated_at = $4
WHERE id = $1
RETURNING id, dag_id, from_date, to_date, reprocess, max_active_runs, created_at, updated_at, completed_at
