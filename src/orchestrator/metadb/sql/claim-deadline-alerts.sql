-- Pending deadline alerts for one sender: $1 limit, $2 now. SKIP LOCKED: two schedulers never take the same one; a
-- claimed alert is 'sending' until its sender says how it went (one that dies then leaves it 'sending': an alert is
-- sent at most once, never twice).
UPDATE orch_deadline_miss m
SET alert_state = 'sending', alerted_at = $2
FROM (
  SELECT dag_id, run_id, task_id FROM orch_deadline_miss WHERE alert_state = 'pending'
  ORDER BY missed_at, dag_id, run_id, task_id LIMIT $1 FOR UPDATE SKIP LOCKED
) p
WHERE m.dag_id = p.dag_id AND m.run_id = p.run_id AND m.task_id = p.task_id
RETURNING m.dag_id, m.run_id, m.task_id, m.reference, m.deadline, m.missed_at
