-- Airflow's clear: $1 dag_id, $2 run_id, $3 task ids. The finished (or waiting to retry) ones go back to none, to be
-- decided again; their tries are kept, and max_tries becomes the tries made plus the task's retries + 1 from the run's
-- version, so a cleared task gets its whole set of retries again (and a rescheduled sensor starts a new try, its
-- timeout counted afresh). Queued and running ones are left to their executor.
UPDATE orch_task_instance t
SET state = 'none', max_tries = t.try_number + coalesce((s.task ->> 'retries')::int, 0) + 1, start_date = NULL,
    end_date = NULL, next_try_at = NULL, queued_at = NULL, rescheduled_since = NULL
FROM orch_dag_run r
JOIN orch_dag_version v ON v.dag_id = r.dag_id AND v.version = r.version
CROSS JOIN LATERAL (SELECT e AS task FROM jsonb_array_elements(v.serialized -> 'tasks') e) s
WHERE r.dag_id = $1 AND r.run_id = $2 AND t.dag_id = r.dag_id AND t.run_id = r.run_id AND t.task_id = ANY ($3::text[])
  AND s.task ->> 'id' = t.task_id
  AND t.state IN ('success', 'failed', 'skipped', 'upstream_failed', 'up_for_retry', 'up_for_reschedule', 'removed', 'scheduled', 'none')
RETURNING t.task_id
