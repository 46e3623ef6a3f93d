-- $1 dag_id, $2 run_id, $3 task_id, $4 key, $5 value (JSON), $6 now: a task's result under a key (replaced on a retry).
INSERT INTO orch_task_result (dag_id, run_id, task_id, key, value, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
ON CONFLICT (dag_id, run_id, task_id, key) DO UPDATE SET value = EXCLUDED.value, created_at = EXCLUDED.created_at
