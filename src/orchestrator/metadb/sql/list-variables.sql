SELECT key, value_encrypted, description FROM orch_variable ORDER BY key
