-- A worker's heartbeat: $1 dag_id, $2 run_id, $3 task_id, $4 worker, $5 try_number, $6 the new lease_until. No row:
-- the task is no longer this worker's (its lease lapsed and it was taken away): the worker must stop it.
UPDATE orch_task_instance SET lease_until = $6
WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND state = 'running' AND claimed_by = $4 AND try_number = $5
RETURNING lease_until
