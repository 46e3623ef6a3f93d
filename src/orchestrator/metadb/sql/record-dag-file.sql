-- $1 file, $2 size, $3 mtime_ms, $4 sha256, $5 parsed_at, $6 dag_ids: what the DAG processor last read of the file.
INSERT INTO orch_dag_file (file, size, mtime_ms, sha256, parsed_at, dag_ids) VALUES ($1, $2, $3, $4, $5, $6::text[])
ON CONFLICT (file) DO UPDATE
  SET size = EXCLUDED.size, mtime_ms = EXCLUDED.mtime_ms, sha256 = EXCLUDED.sha256, parsed_at = EXCLUDED.parsed_at, dag_ids = EXCLUDED.dag_ids
