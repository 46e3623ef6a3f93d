-- $1 dag ids: each DAG's maxActiveTasks (of its latest version, as the claim counts it) less its queued and running
-- task instances.
SELECT d.dag_id,
       coalesce((v.serialized ->> 'maxActiveTasks')::int, 16)
         - (SELECT count(*) FROM orch_task_instance t WHERE t.dag_id = d.dag_id AND t.state IN ('queued', 'running'))::int AS open
FROM orch_dag d
LEFT JOIN orch_dag_version v ON v.dag_id = d.dag_id AND v.version = d.latest_version
WHERE d.dag_id = ANY ($1::text[])
