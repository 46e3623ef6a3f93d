-- $1 dag_id: the DAG's row, locked for this scheduler's pass over the DAG (its run creation, run starts and task
-- decisions); SKIP LOCKED: a DAG another scheduler (or a claim, or a clear) is working on now is left for the next
-- loop instead of waited for, so two schedulers never decide one DAG's runs at once and never block each other.
SELECT d.dag_id, d.is_paused, d.is_active, d.latest_version, v.serialized
FROM orch_dag d
LEFT JOIN orch_dag_version v ON v.dag_id = d.dag_id AND v.version = d.latest_version
WHERE d.dag_id = $1
FOR UPDATE OF d SKIP LOCKED
