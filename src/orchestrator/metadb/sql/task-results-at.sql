-- $1 dag_id, $2 logical dates, $3 task ids, $4 keys: the results those tasks stored in the DAG's runs at those dates,
-- in run order.
SELECT r.logical_date, x.run_id, x.task_id, x.key, x.value
FROM orch_task_result x
JOIN orch_dag_run r ON r.dag_id = x.dag_id AND r.run_id = x.run_id
WHERE x.dag_id = $1 AND r.logical_date = ANY ($2::timestamptz[]) AND x.task_id = ANY ($3::text[]) AND x.key = ANY ($4::text[])
ORDER BY r.logical_date, x.task_id, x.key
