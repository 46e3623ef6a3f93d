-- Every DAG with its latest serialised version and its newest run (by logical date), by id.
SELECT d.dag_id, d.file, d.is_paused, d.is_active, d.latest_version, d.next_logical_date, d.next_data_interval_start,
       d.next_data_interval_end, d.last_parsed_at, v.serialized, lr.run_id AS last_run_id, lr.state AS last_run_state,
       lr.logical_date AS last_run_logical_date
FROM orch_dag d
LEFT JOIN orch_dag_version v ON v.dag_id = d.dag_id AND v.version = d.latest_version
LEFT JOIN LATERAL (
  SELECT r.run_id, r.state, r.logical_date FROM orch_dag_run r WHERE r.dag_id = d.dag_id ORDER BY r.logical_date DESC LIMIT 1
) lr ON true
ORDER BY d.dag_id
