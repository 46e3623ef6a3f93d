-- Running task instances whose lease ended before $1 (now): their worker died or lost the database. At most $2,
-- oldest lease first; locked SKIP LOCKED so that two schedulers reaping at once take different rows (each then moves
-- them on with a compare-and-set on the same claim and try).
SELECT dag_id, run_id, task_id, try_number, max_tries, claimed_by, lease_until
FROM orch_task_instance
WHERE state = 'running' AND lease_until < $1
ORDER BY lease_until, dag_id, run_id, task_id
LIMIT $2
FOR UPDATE SKIP LOCKED
