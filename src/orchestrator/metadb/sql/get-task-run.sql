-- What a task runner needs of a task instance's run: $1 dag_id, $2 run_id. The run's dates and conf, the DAG version
-- it keeps for its whole life (with that version's serialised DAG, whose file is the one the runner loads), and the
-- data interval start of the DAG's last successful run before it (templates' prev_data_interval_start_success).
SELECT r.dag_id, r.run_id, r.version, r.run_type, r.state, r.logical_date, r.data_interval_start, r.data_interval_end,
       r.conf, r.queued_at, r.start_date, r.end_date, r.backfill_id,
       v.serialized,
       (SELECT p.data_interval_start FROM orch_dag_run p
        WHERE p.dag_id = r.dag_id AND p.state = 'success' AND p.logical_date < r.logical_date
        ORDER BY p.logical_date DESC LIMIT 1) AS prev_data_interval_start_success
FROM orch_dag_run r
JOIN orch_dag_version v ON v.dag_id = r.dag_id AND v.version = r.version
WHERE r.dag_id = $1 AND r.run_id = $2
