-- $1 key, $2 value (sealed), $3 description.
INSERT INTO orch_variable (key, value_encrypted, description) VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE SET value_encrypted = EXCLUDED.value_encrypted, description = EXCLUDED.description
