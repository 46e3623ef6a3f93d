-- $1 dag_id, $2 logical date: the run just before it (by logical date) and its task instances' states, for
-- depends_on_past. No row: there is no earlier run; one row with a null task_id: it has no task instances yet.
SELECT p.run_id, t.task_id, t.state
FROM (SELECT dag_id, run_id FROM orch_dag_run WHERE dag_id = $1 AND logical_date < $2 ORDER BY logical_date DESC LIMIT 1) p
LEFT JOIN orch_task_instance t ON t.dag_id = p.dag_id AND t.run_id = p.run_id
