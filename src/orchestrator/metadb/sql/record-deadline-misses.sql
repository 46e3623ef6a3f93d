-- A deadline missed, recorded once: $1 dag_id, $2 run_ids, $3 task_ids ('' for the run), $4 references, $5 deadlines,
-- $6 missed_at, $7 alert states (pending or none). A miss already recorded (by this scheduler's earlier tick or
-- another scheduler) is left alone; only the new ones are returned.
INSERT INTO orch_deadline_miss (dag_id, run_id, task_id, reference, deadline, missed_at, alert_state)
SELECT $1, m.run_id, m.task_id, m.reference, m.deadline, $6, m.alert_state
FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $7::text[]) AS m (run_id, task_id, reference, deadline, alert_state)
ON CONFLICT (dag_id, run_id, task_id) DO NOTHING
RETURNING run_id, task_id
