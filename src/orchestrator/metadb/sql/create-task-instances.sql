-- $1 dag_id, $2 run_id: one task instance per task of the run's own DAG version (state none), set-based from its
-- serialised tasks. Idempotent: instances already there are kept.
INSERT INTO orch_task_instance (dag_id, run_id, task_id, max_tries, pool, priority_weight)
SELECT r.dag_id, r.run_id, t ->> 'id', (t ->> 'retries')::int + 1, t ->> 'pool', (t ->> 'priorityWeight')::int
FROM orch_dag_run r
JOIN orch_dag_version v ON v.dag_id = r.dag_id AND v.version = r.version
CROSS JOIN LATERAL jsonb_array_elements(v.serialized -> 'tasks') AS t
WHERE r.dag_id = $1 AND r.run_id = $2
ON CONFLICT (dag_id, run_id, task_id) DO NOTHING
RETURNING task_id
