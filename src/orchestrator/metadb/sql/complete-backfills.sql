-- $1 dag_id, $2 now: the DAG's open backfills none of whose runs is queued or running are completed. Run by the
-- scheduler under the DAG's row lock after it advanced the runs; returns the backfills completed.
UPDATE orch_backfill b SET completed_at = $2, updated_at = $2
WHERE b.dag_id = $1 AND b.completed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM orch_dag_run r WHERE r.backfill_id = b.id AND r.state IN ('queued', 'running'))
RETURNING b.id
