-- Pending callback requests for one runner, oldest first: $1 limit, $2 now; each run once (SKIP LOCKED, then
-- 'running' until it ends; a runner dying meanwhile leaves it 'running': at most once). With what the callback's
-- context needs of the run and the DAG file it is in.
UPDATE orch_callback_request c
SET state = 'running', claimed_at = $2
FROM (
  SELECT id FROM orch_callback_request WHERE state = 'pending' ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
) p
WHERE c.id = p.id
RETURNING c.id, c.dag_id, c.run_id, c.task_id, c.kind
