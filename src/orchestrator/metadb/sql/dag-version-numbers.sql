-- $1 dag_id: its versions numbered 1, 2, … in the order they were first seen (Airflow's version_number).
SELECT version, created_at, row_number() OVER (ORDER BY created_at, version)::int AS version_number
FROM orch_dag_version WHERE dag_id = $1
