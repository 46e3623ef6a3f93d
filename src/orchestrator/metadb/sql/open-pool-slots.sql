-- Each pool's slots less its queued and running task instances (what the scheduler may still queue into it).
SELECT p.pool,
       p.slots - (SELECT count(*) FROM orch_task_instance t WHERE t.pool = p.pool AND t.state IN ('queued', 'running'))::int AS open
FROM orch_pool p
