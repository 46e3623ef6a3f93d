-- $1 dag_id, $2 is_paused.
UPDATE orch_dag SET is_paused = $2 WHERE dag_id = $1 RETURNING dag_id
