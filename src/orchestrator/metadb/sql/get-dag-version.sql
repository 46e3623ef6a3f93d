-- $1 dag_id, $2 version: a serialised DAG as it was stored (versions never change).
SELECT serialized FROM orch_dag_version WHERE dag_id = $1 AND version = $2
