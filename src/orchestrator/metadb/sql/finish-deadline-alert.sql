-- How a claimed deadline alert went: $1 dag_id, $2 run_id, $3 task_id, $4 sent | failed, $5 error, $6 now.
UPDATE orch_deadline_miss SET alert_state = $4, alert_error = $5, alerted_at = $6
WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND alert_state = 'sending'
