-- Keys and descriptions only: a listing never needs the values (nor the key to open them).
SELECT key, description FROM orch_variable ORDER BY key
