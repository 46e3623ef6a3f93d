-- $1 file: it left the DAG folder; its fingerprint goes (its DAGs are marked inactive by the caller).
DELETE FROM orch_dag_file WHERE file = $1
