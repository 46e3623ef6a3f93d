-- The DAGs a scheduler loop visits: active and unpaused ones (their schedules may create runs), and any with queued
-- or running runs (backfills, and runs that go on after a pause), by id.
SELECT d.dag_id FROM orch_dag d
WHERE (d.is_active AND NOT d.is_paused)
   OR EXISTS (SELECT 1 FROM orch_dag_run r WHERE r.dag_id = d.dag_id AND r.state IN ('queued', 'running'))
ORDER BY d.dag_id
