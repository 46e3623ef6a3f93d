-- Each pool with its task instances running and queued now.
SELECT p.pool, p.slots,
       (SELECT count(*) FROM orch_task_instance t WHERE t.pool = p.pool AND t.state = 'running')::int AS running,
       (SELECT count(*) FROM orch_task_instance t WHERE t.pool = p.pool AND t.state = 'queued')::int AS queued,
       p.description
FROM orch_pool p ORDER BY p.pool
