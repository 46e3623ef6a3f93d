-- Compare-and-set: $1 dag_id, $2 run_id, $3 new state, $4 expected current states, $5 now. Running stamps start_date,
-- success and failed stamp end_date. No row returned: the run was not in an expected state.
UPDATE orch_dag_run
SET state = $3,
    start_date = CASE WHEN $3 = 'running' THEN coalesce(start_date, $5) ELSE start_date END,
    end_date = CASE WHEN $3 IN ('success', 'failed') THEN $5 ELSE NULL END
WHERE dag_id = $1 AND run_id = $2 AND state = ANY ($4::text[])
RETURNING run_id
