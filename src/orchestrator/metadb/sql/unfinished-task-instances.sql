-- The task instances of $1 dag_id, runs $2, tasks $3 not finished yet (deadlines watch them).
SELECT run_id, task_id FROM orch_task_instance
WHERE dag_id = $1 AND run_id = ANY ($2::text[]) AND task_id = ANY ($3::text[])
  AND state NOT IN ('success', 'failed', 'skipped', 'upstream_failed', 'removed')
