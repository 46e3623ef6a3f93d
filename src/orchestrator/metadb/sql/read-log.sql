-- $1 dag_id, $2 run_id, $3 task_id, $4 try_number, $5 chunks after this seq (0: from the start; a tail passes the last
-- it read).
SELECT seq, text FROM orch_task_log
WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND try_number = $4 AND seq > $5
ORDER BY seq
