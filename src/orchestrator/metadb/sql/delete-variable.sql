DELETE FROM orch_variable WHERE key = $1 RETURNING key
