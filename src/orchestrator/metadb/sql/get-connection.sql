SELECT conn_id, conn_type, host, port, login, schema, password_encrypted, extra_encrypted, description
FROM orch_connection WHERE conn_id = $1
