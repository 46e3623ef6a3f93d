-- A claim's third statement, run once its pools ($5) and DAGs ($6) are locked (lock-claim-pools.sql,
-- lock-claim-dags.sql): so its snapshot, taken now, already holds every claim committed before, and no other claimer
-- can add one in these pools or DAGs until this transaction ends. $1 worker, $2 now, $3 lease_until, $4 at most this
-- many, $7 the worker's host, $8 dag_id and $9 run_id: only that DAG's or run's queued task instances are claimed
-- (null: any; `dags test` claims only its own run's), while what runs is still counted across all of them.
-- Queued task instances by priority weight (highest first), then queued time; within each DAG no more than its
-- maxActiveTasks less those running, then within each pool no more than its free slots. The chosen rows are locked
-- FOR UPDATE SKIP LOCKED (a row another transaction is changing, e.g. the scheduler removing it, is left for a later
-- claim), set running with the worker's claim, its lease and the next try, and the try is recorded. An instance coming
-- back from a reschedule (rescheduled_since set) stays on its try, as in Airflow: its orch_task_try row is reopened
-- (running again, on this host; its first start kept) rather than a new try counted.
WITH pool_free AS (
  SELECT p.pool, p.slots,
         p.slots - (SELECT count(*) FROM orch_task_instance r WHERE r.pool = p.pool AND r.state = 'running')::int AS free
  FROM orch_pool p
  WHERE p.pool = ANY ($5::text[])
), dag_free AS (
  SELECT d.dag_id,
         coalesce((v.serialized ->> 'maxActiveTasks')::int, 16)
           - (SELECT count(*) FROM orch_task_instance r WHERE r.dag_id = d.dag_id AND r.state = 'running')::int AS free
  FROM orch_dag d
  LEFT JOIN orch_dag_version v ON v.dag_id = d.dag_id AND v.version = d.latest_version
  WHERE d.dag_id = ANY ($6::text[])
), in_dag AS (
  SELECT q.dag_id, q.run_id, q.task_id, q.pool, q.priority_weight, q.queued_at, df.free,
         row_number() OVER (PARTITION BY q.dag_id ORDER BY q.priority_weight DESC, q.queued_at, q.run_id, q.task_id) AS n
  FROM orch_task_instance q
  JOIN dag_free df ON df.dag_id = q.dag_id
  WHERE q.state = 'queued' AND q.pool = ANY ($5::text[])
    AND ($8::text IS NULL OR q.dag_id = $8) AND ($9::text IS NULL OR q.run_id = $9)
), in_pool AS (
  SELECT d.dag_id, d.run_id, d.task_id, d.priority_weight, d.queued_at, pf.free,
         row_number() OVER (PARTITION BY d.pool ORDER BY d.priority_weight DESC, d.queued_at, d.dag_id, d.run_id, d.task_id) AS n
  FROM in_dag d
  JOIN pool_free pf ON pf.pool = d.pool
  WHERE d.n <= d.free
), chosen AS (
  SELECT dag_id, run_id, task_id FROM in_pool
  WHERE n <= free
  ORDER BY priority_weight DESC, queued_at, dag_id, run_id, task_id
  LIMIT $4
), locked AS (
  SELECT t.dag_id, t.run_id, t.task_id
  FROM orch_task_instance t
  JOIN chosen c ON c.dag_id = t.dag_id AND c.run_id = t.run_id AND c.task_id = t.task_id
  WHERE t.state = 'queued'
  FOR UPDATE OF t SKIP LOCKED
), claimed AS (
  UPDATE orch_task_instance t
  SET state = 'running', claimed_by = $1, lease_until = $3,
      try_number = CASE WHEN t.rescheduled_since IS NULL THEN t.try_number + 1 ELSE t.try_number END, start_date = $2,
      end_date = NULL, next_try_at = NULL
  FROM locked l
  WHERE t.dag_id = l.dag_id AND t.run_id = l.run_id AND t.task_id = l.task_id
  RETURNING t.dag_id, t.run_id, t.task_id, t.try_number, t.max_tries, t.pool, t.priority_weight, t.queued_at, t.rescheduled_since
), tries AS (
  INSERT INTO orch_task_try (dag_id, run_id, task_id, try_number, state, hostname, start_date)
  SELECT dag_id, run_id, task_id, try_number, 'running', $7, $2 FROM claimed
  ON CONFLICT (dag_id, run_id, task_id, try_number) DO UPDATE SET state = 'running', hostname = EXCLUDED.hostname, end_date = NULL, error = NULL
)
-- pool_running: the pool's running task instances once this claim commits (its count, taken under the pool's lock,
-- plus this claim's own), which no other claimer can change before then.
SELECT c.dag_id, c.run_id, c.task_id, c.try_number, c.max_tries, c.pool, c.priority_weight, r.version, c.rescheduled_since,
       pf.slots AS pool_slots, pf.slots - pf.free + (count(*) OVER (PARTITION BY c.pool))::int AS pool_running
FROM claimed c
JOIN pool_free pf ON pf.pool = c.pool
JOIN orch_dag_run r ON r.dag_id = c.dag_id AND r.run_id = c.run_id
ORDER BY c.priority_weight DESC, c.queued_at, c.dag_id, c.run_id, c.task_id
