-- $1 dag_id, $2 from_date, $3 to_date: the DAG's backfill of exactly that range that has not completed (the one a
-- second `dags backfill` with the same range resumes), if any. Read under the DAG's row lock (lockDagForChange), so
-- two such commands at once cannot both miss it and make two.
SELECT id, dag_id, from_date, to_date, reprocess, max_active_runs, created_at, updated_at, completed_at
FROM orch_backfill
WHERE dag_id = $1 AND from_date = $2 AND to_date = $3 AND completed_at IS NULL
ORDER BY id DESC
LIMIT 1
