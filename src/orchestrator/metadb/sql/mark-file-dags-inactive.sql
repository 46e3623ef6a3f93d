-- The DAGs of file $1 that it no longer defines (not in $2) become inactive; their history stays.
UPDATE orch_dag SET is_active = false
WHERE file = $1 AND is_active AND NOT (dag_id = ANY ($2::text[]))
RETURNING dag_id
