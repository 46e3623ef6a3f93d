-- $1 dag_id: the DAG's row and its latest serialised version.
SELECT d.dag_id, d.file, d.is_paused, d.is_active, d.latest_version, d.next_logical_date, d.next_data_interval_start,
       d.next_data_interval_end, d.last_parsed_at, v.serialized
FROM orch_dag d
LEFT JOIN orch_dag_version v ON v.dag_id = d.dag_id AND v.version = d.latest_version
WHERE d.dag_id = $1
