SELECT file, line, message, created_at FROM orch_import_error ORDER BY file
