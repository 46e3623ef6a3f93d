-- A DAG as its file defines it now, and its serialised version: $1 dag_id, $2 file, $3 version (hash), $4 serialized
-- JSON, $5 is_paused for a DAG seen for the first time, $6 now. An unchanged hash adds no version (created: false).
WITH dag AS (
  INSERT INTO orch_dag (dag_id, file, is_paused, is_active, latest_version, last_parsed_at)
  VALUES ($1, $2, $5, true, $3, $6)
  ON CONFLICT (dag_id) DO UPDATE
    SET file = EXCLUDED.file, is_active = true, latest_version = EXCLUDED.latest_version, last_parsed_at = EXCLUDED.last_parsed_at
  RETURNING dag_id
), version AS (
  INSERT INTO orch_dag_version (dag_id, version, serialized, created_at)
  SELECT dag_id, $3, $4::jsonb, $6 FROM dag
  ON CONFLICT (dag_id, version) DO NOTHING
  RETURNING version
)
SELECT (SELECT count(*) FROM version)::int > 0 AS created
