-- $1 dag_id: the data interval of its latest scheduled run (manual and backfill runs do not move the schedule).
SELECT data_interval_start, data_interval_end FROM orch_dag_run
WHERE dag_id = $1 AND run_type = 'scheduled'
ORDER BY logical_date DESC
LIMIT 1
