SELECT key, value_encrypted, description FROM orch_variable WHERE key = $1
