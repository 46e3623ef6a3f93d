-- Up to $1 scheduled task instances of running runs, with their run's logical date for the admission order, locked
-- SKIP LOCKED: two schedulers queueing at once take different rows, and the move to queued is a compare-and-set too.
-- $2 dag_id, $3 run_id: only that DAG's or run's (`dags test` queues only its own run's; null: any).
SELECT t.dag_id, t.run_id, t.task_id, t.pool, t.priority_weight, r.logical_date
FROM orch_task_instance t
JOIN orch_dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id
WHERE t.state = 'scheduled' AND r.state = 'running'
  AND ($2::text IS NULL OR t.dag_id = $2) AND ($3::text IS NULL OR t.run_id = $3)
ORDER BY t.priority_weight DESC, r.logical_date, t.dag_id, t.run_id, t.task_id
LIMIT $1
FOR UPDATE OF t SKIP LOCKED
