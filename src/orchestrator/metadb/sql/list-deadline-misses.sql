-- Deadline misses, newest first: $1 dag_id (null: every DAG), $2 run_id (null: every run), $3 limit. With the run's
-- state now (a run may have finished since).
SELECT m.dag_id, m.run_id, m.task_id, m.reference, m.deadline, m.missed_at, m.alert_state, m.alerted_at, m.alert_error, r.state AS run_state
FROM orch_deadline_miss m
JOIN orch_dag_run r ON r.dag_id = m.dag_id AND r.run_id = m.run_id
WHERE ($1::text IS NULL OR m.dag_id = $1) AND ($2::text IS NULL OR m.run_id = $2)
ORDER BY m.missed_at DESC, m.dag_id, m.run_id, m.task_id
LIMIT $3
