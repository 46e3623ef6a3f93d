-- $1 dag_id: the DAG's row, locked (waiting for a scheduler's short pass over it to end) by a command that changes its
-- runs, such as a clear or a backfill, so that no scheduler decides the run while it changes.
SELECT dag_id FROM orch_dag WHERE dag_id = $1 FOR UPDATE
