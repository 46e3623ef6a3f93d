-- Compare-and-set of a task instance's state: $1 dag_id, $2 run_id, $3 task_id, $4 the new state, $5 the states it
-- is expected to be in, $6 now, $7 next_try_at (up_for_retry, up_for_reschedule), $8 the worker that must hold it and
-- $9 the try it must be on (null: no such guard; a worker passes both, so that after its lease lapsed and another
-- took the task its late report changes nothing), $10 the try's error, $11 whether the new state ends the try,
-- $12 up_for_reschedule: the first poke of the try (rescheduled_since, 000002-task-reschedule.sql). Any other end of
-- a try clears it, so the next claim counts a new try; a state that ends no try (scheduled, queued) keeps it.
-- Leaving running drops the claim and the lease, and ends the try's own row (orch_task_try) in the same statement.
WITH changed AS (
  UPDATE orch_task_instance
  SET state = $4,
      queued_at = CASE WHEN $4 = 'queued' THEN $6 ELSE queued_at END,
      end_date = CASE WHEN $11 THEN $6 ELSE end_date END,
      next_try_at = $7,
      rescheduled_since = CASE WHEN $4 = 'up_for_reschedule' THEN $12::timestamptz WHEN $11 THEN NULL ELSE rescheduled_since END,
      claimed_by = CASE WHEN $4 = 'running' THEN claimed_by ELSE NULL END,
      lease_until = CASE WHEN $4 = 'running' THEN lease_until ELSE NULL END
  WHERE dag_id = $1 AND run_id = $2 AND task_id = $3 AND state = ANY ($5::text[])
    AND ($8::text IS NULL OR claimed_by = $8)
    AND ($9::int IS NULL OR try_number = $9)
  RETURNING dag_id, run_id, task_id, try_number, state
), ended AS (
  UPDATE orch_task_try t
  SET state = c.state, end_date = $6, error = $10
  FROM changed c
  WHERE t.dag_id = c.dag_id AND t.run_id = c.run_id AND t.task_id = c.task_id AND t.try_number = c.try_number
    AND t.end_date IS NULL AND $11
  RETURNING t.try_number
)
SELECT c.try_number, (SELECT count(*) FROM ended)::int AS tries_ended FROM changed c
