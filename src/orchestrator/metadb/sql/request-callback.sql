-- $1 dag_id, $2 run_id, $3 task_id ('' for the run), $4 kind, $5 now.
INSERT INTO orch_callback_request (dag_id, run_id, task_id, kind, created_at) VALUES ($1, $2, $3, $4, $5)
