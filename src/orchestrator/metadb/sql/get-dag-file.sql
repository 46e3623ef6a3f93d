SELECT file, size::float8 AS size, mtime_ms, sha256, parsed_at, dag_ids FROM orch_dag_file WHERE file = $1
