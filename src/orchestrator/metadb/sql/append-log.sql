-- $1 dag_id, $2 run_id, $3 task_id, $4 try_number, $5 text: the try's next chunk. A try has one writer (the worker
-- holding its claim), so max + 1 is its next number; two writers at once would fail on the key, never interleave.
INSERT INTO orch_task_log (dag_id, run_id, task_id, try_number, seq, text)
SELECT $1, $2, $3, $4, coalesce(max(seq), 0) + 1, $5
FROM orch_task_log
WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND try_number = $4
RETURNING seq
