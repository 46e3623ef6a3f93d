-- Deadlines and callbacks (issue 17 §3; docs/decisions/2026-12-08-callbacks-and-alerts.md).
--   * orch_deadline_miss: a DAG run (task_id '') or a task of it not finished by its deadline, recorded once by the
--     scheduler while the run is still open (the primary key makes "once" hold with any number of schedulers), with
--     how its alert went: pending → sent | failed, or none when the deadline asks for no alert.
--   * orch_callback_request: user code the scheduler must not run itself (a DAG run's onSuccess/onFailure callback, a
--     deadline's onMiss), queued in the same transaction as the change that calls for it, and run once by a callback
--     runner that imports the DAG file in a child process (as Airflow's DAG processor runs callback requests).
CREATE TABLE orch_deadline_miss (
  dag_id        text NOT NULL,
  run_id        text NOT NULL,
  task_id       text NOT NULL DEFAULT '',
  reference     text NOT NULL CHECK (reference IN ('dataIntervalEnd', 'queuedAt', 'logicalDate')),
  deadline      timestamptz NOT NULL,
  missed_at     timestamptz NOT NULL,
  alert_state   text NOT NULL CHECK (alert_state IN ('pending', 'sending', 'sent', 'failed', 'none')),
  alerted_at    timestamptz,
  alert_error   text,
  PRIMARY KEY (dag_id, run_id, task_id),
  FOREIGN KEY (dag_id, run_id) REFERENCES orch_dag_run (dag_id, run_id) ON DELETE CASCADE
);
CREATE INDEX orch_deadline_miss_pending ON orch_deadline_miss (missed_at) WHERE alert_state = 'pending';

CREATE TABLE orch_callback_request (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dag_id       text NOT NULL,
  run_id       text NOT NULL,
  task_id      text NOT NULL DEFAULT '',
  kind         text NOT NULL CHECK (kind IN ('dag_success', 'dag_failure', 'deadline_miss')),
  created_at   timestamptz NOT NULL,
  state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
  claimed_at   timestamptz,
  done_at      timestamptz,
  error        text,
  FOREIGN KEY (dag_id, run_id) REFERENCES orch_dag_run (dag_id, run_id) ON DELETE CASCADE
);
CREATE INDEX orch_callback_request_pending ON orch_callback_request (id) WHERE state = 'pending';
