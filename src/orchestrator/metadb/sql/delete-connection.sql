DELETE FROM orch_connection WHERE conn_id = $1 RETURNING conn_id
