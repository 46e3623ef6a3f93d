-- A claim's first statement: the pools that have queued task instances, locked until the claim commits, in a fixed
-- order (so two claimers never deadlock). While one claimer holds a pool, another waits for the few milliseconds of
-- the claim, then counts what the first one claimed: a pool's count and its claims are never interleaved.
SELECT pool FROM orch_pool
WHERE pool IN (SELECT pool FROM orch_task_instance WHERE state = 'queued')
ORDER BY pool
FOR UPDATE
