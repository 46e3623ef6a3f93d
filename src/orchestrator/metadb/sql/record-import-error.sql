-- $1 file, $2 line (or null), $3 message, $4 now: the file's one current import error.
INSERT INTO orch_import_error (file, line, message, created_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (file) DO UPDATE SET line = EXCLUDED.line, message = EXCLUDED.message, created_at = EXCLUDED.created_at
