-- $1 dag_id, $2 run_id, $3 task_id, then parallel arrays $4 directions ('in', 'out'), $5 kinds, $6 names: what the
-- task instance read and wrote. Recording the same again adds nothing.
INSERT INTO orch_lineage (dag_id, run_id, task_id, direction, kind, name)
SELECT $1, $2, $3, d, k, n FROM unnest($4::text[], $5::text[], $6::text[]) AS x (d, k, n)
ON CONFLICT DO NOTHING
