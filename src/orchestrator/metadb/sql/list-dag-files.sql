-- Every DAG file's fingerprint: what the DAG processor is given so that it skips unchanged files.
SELECT file, size::float8 AS size, mtime_ms, sha256, parsed_at, dag_ids FROM orch_dag_file ORDER BY file
