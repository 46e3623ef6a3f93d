-- A backfill is a row of its own (as Airflow 3's `backfill` table), so what was asked for outlives the command that
-- asked: its range and reprocess mode, its own cap on running runs, and when its last run ended. Its runs point at it
-- (orch_dag_run.backfill_id), so the scheduler admits them within the backfill's max_active_runs, apart from the DAG's
-- scheduled and manual runs (Airflow 3 applies a backfill's max_active_runs independently of the DAG's).
--   * running the same backfill again (same DAG and range, not completed) resumes this row rather than adding one;
--   * completed_at is set by the scheduler once none of its runs is queued or running;
--   * runs made before this migration keep a null backfill_id and share the DAG's maxActiveRuns as before.
CREATE TABLE orch_backfill (
  id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dag_id           text NOT NULL REFERENCES orch_dag (dag_id),
  from_date        timestamptz NOT NULL,
  to_date          timestamptz NOT NULL,
  reprocess        text NOT NULL CHECK (reprocess IN ('none', 'failed', 'completed')),
  max_active_runs  integer NOT NULL CHECK (max_active_runs >= 1),
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  completed_at     timestamptz
);
CREATE INDEX orch_backfill_active ON orch_backfill (dag_id) WHERE completed_at IS NULL;

ALTER TABLE orch_dag_run ADD COLUMN backfill_id integer REFERENCES orch_backfill (id);
CREATE INDEX orch_dag_run_backfill ON orch_dag_run (backfill_id) WHERE backfill_id IS NOT NULL;
