-- A claim's first statement: the pools that have queued task instances, locked until the claim commits, in a fixed
-- order (so two claimers never deadlock). While one claimer holds a pool, another waits for the few milliseconds of
-- the claim, then counts what the first one claimed: a pool's count and its claims are never interleaved. $1 dag_id,
-- $2 run_id: a claim scoped to one DAG or run (`dags test`'s executor) locks only the pools of its queued work (null:
-- any).
SELECT pool FROM orch_pool
WHERE pool IN (SELECT pool FROM orch_task_instance WHERE state = 'queued'
               AND ($1::text IS NULL OR dag_id = $1) AND ($2::text IS NULL OR run_id = $2))
ORDER BY pool
FOR UPDATE
