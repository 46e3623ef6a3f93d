-- The orchestrator's metadata database, version 1. The same SQL on embedded PGlite and on a PostgreSQL server. All
-- timestamps are timestamptz (UTC instants); ids of DAGs and tasks are text chosen by the DAG's author.

-- One row per DAG id ever seen; `is_paused` and the latest version live here.
CREATE TABLE orch_dag (
  dag_id          text PRIMARY KEY,
  file            text NOT NULL,
  is_paused       boolean NOT NULL DEFAULT true,
  -- false once its file no longer defines it (kept for its history)
  is_active       boolean NOT NULL DEFAULT true,
  latest_version  text,
  -- the next run the scheduler will create: its logical date and data interval (null: none due)
  next_logical_date          timestamptz,
  next_data_interval_start   timestamptz,
  next_data_interval_end     timestamptz,
  last_parsed_at  timestamptz
);

-- Every serialised version of a DAG; runs keep the version they started with.
CREATE TABLE orch_dag_version (
  dag_id      text NOT NULL REFERENCES orch_dag (dag_id),
  version     text NOT NULL,            -- SHA-256 of the canonical JSON
  serialized  jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (dag_id, version)
);

-- What the DAG processor last read of each file: an unchanged file (same size, mtime and hash) is not parsed again.
CREATE TABLE orch_dag_file (
  file         text PRIMARY KEY,
  size         bigint NOT NULL,
  mtime_ms     double precision NOT NULL,
  sha256       text NOT NULL,
  parsed_at    timestamptz NOT NULL,
  dag_ids      text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE orch_import_error (
  file        text PRIMARY KEY,
  line        integer,
  message     text NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE orch_dag_run (
  dag_id               text NOT NULL REFERENCES orch_dag (dag_id),
  run_id               text NOT NULL,    -- e.g. scheduled__2018-11-01T00:00:00+00:00
  version              text NOT NULL,
  run_type             text NOT NULL CHECK (run_type IN ('scheduled', 'manual', 'backfill')),
  state                text NOT NULL CHECK (state IN ('queued', 'running', 'success', 'failed')),
  logical_date         timestamptz NOT NULL,
  data_interval_start  timestamptz NOT NULL,
  data_interval_end    timestamptz NOT NULL,
  conf                 jsonb NOT NULL DEFAULT '{}',
  queued_at            timestamptz NOT NULL,
  start_date           timestamptz,
  end_date             timestamptz,
  PRIMARY KEY (dag_id, run_id),
  -- two schedulers at once can never create the same run twice
  UNIQUE (dag_id, logical_date),
  FOREIGN KEY (dag_id, version) REFERENCES orch_dag_version (dag_id, version)
);
CREATE INDEX orch_dag_run_state ON orch_dag_run (state, dag_id);

-- One row per task of a run: its current state and try. The state's one source of truth; workers claim `queued`
-- rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE orch_task_instance (
  dag_id          text NOT NULL,
  run_id          text NOT NULL,
  task_id         text NOT NULL,
  state           text NOT NULL DEFAULT 'none',
  try_number      integer NOT NULL DEFAULT 0,   -- the current (or last) try; 0 before the first
  max_tries       integer NOT NULL,             -- retries + 1
  pool            text NOT NULL DEFAULT 'default_pool',
  priority_weight integer NOT NULL DEFAULT 1,
  queued_at       timestamptz,
  start_date      timestamptz,
  end_date        timestamptz,
  next_try_at     timestamptz,                  -- up_for_retry / up_for_reschedule: not before this
  -- who runs it now (a worker's id) and until when its lease holds; a lease that lapses means the worker died
  claimed_by      text,
  lease_until     timestamptz,
  PRIMARY KEY (dag_id, run_id, task_id),
  FOREIGN KEY (dag_id, run_id) REFERENCES orch_dag_run (dag_id, run_id) ON DELETE CASCADE
);
CREATE INDEX orch_task_instance_queue ON orch_task_instance (state, priority_weight DESC, queued_at);

-- Every try of a task instance, kept after retries: outcome, timings, the host that ran it.
CREATE TABLE orch_task_try (
  dag_id       text NOT NULL,
  run_id       text NOT NULL,
  task_id      text NOT NULL,
  try_number   integer NOT NULL,
  state        text NOT NULL,
  hostname     text,
  start_date   timestamptz NOT NULL,
  end_date     timestamptz,
  error        text,
  PRIMARY KEY (dag_id, run_id, task_id, try_number),
  FOREIGN KEY (dag_id, run_id, task_id) REFERENCES orch_task_instance (dag_id, run_id, task_id) ON DELETE CASCADE
);

-- Small typed values a task hands downstream (Airflow's XCom); `return_value` for a task(fn)'s result.
CREATE TABLE orch_task_result (
  dag_id      text NOT NULL,
  run_id      text NOT NULL,
  task_id     text NOT NULL,
  key         text NOT NULL DEFAULT 'return_value',
  value       jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (dag_id, run_id, task_id, key),
  FOREIGN KEY (dag_id, run_id, task_id) REFERENCES orch_task_instance (dag_id, run_id, task_id) ON DELETE CASCADE
);

-- A try's log, in numbered chunks (appended as the task runs).
CREATE TABLE orch_task_log (
  dag_id      text NOT NULL,
  run_id      text NOT NULL,
  task_id     text NOT NULL,
  try_number  integer NOT NULL,
  seq         integer NOT NULL,
  text        text NOT NULL,
  PRIMARY KEY (dag_id, run_id, task_id, try_number, seq)
);

-- Connections: the URI's password and the secret extras are encrypted (AES-256-GCM) before they reach this table.
CREATE TABLE orch_connection (
  conn_id            text PRIMARY KEY,
  conn_type          text NOT NULL,
  host               text,
  port               integer,
  login              text,
  schema             text,
  password_encrypted text,
  extra_encrypted    text,
  description        text
);

CREATE TABLE orch_variable (
  key              text PRIMARY KEY,
  value_encrypted  text NOT NULL,
  description      text
);

CREATE TABLE orch_pool (
  pool         text PRIMARY KEY,
  slots        integer NOT NULL CHECK (slots >= 0),
  description  text
);
INSERT INTO orch_pool (pool, slots, description) VALUES ('default_pool', 128, 'the pool of tasks that name none');

-- Lineage: what each task instance read and wrote.
CREATE TABLE orch_lineage (
  dag_id     text NOT NULL,
  run_id     text NOT NULL,
  task_id    text NOT NULL,
  direction  text NOT NULL CHECK (direction IN ('in', 'out')),
  kind       text NOT NULL CHECK (kind IN ('table', 'objects')),
  name       text NOT NULL,
  PRIMARY KEY (dag_id, run_id, task_id, direction, kind, name)
);
CREATE INDEX orch_lineage_name ON orch_lineage (name, direction);
