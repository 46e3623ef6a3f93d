-- The runs of claimed callback requests: $1 ids. Each with its state, dates and the DAG file of its version.
SELECT c.id, r.state, r.logical_date, r.data_interval_start, r.data_interval_end, r.queued_at, r.start_date, r.end_date, r.conf,
       v.serialized ->> 'file' AS file
FROM orch_callback_request c
JOIN orch_dag_run r ON r.dag_id = c.dag_id AND r.run_id = c.run_id
JOIN orch_dag_version v ON v.dag_id = r.dag_id AND v.version = r.version
WHERE c.id = ANY ($1::int[])
