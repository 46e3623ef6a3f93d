-- $1 file: it imported cleanly.
DELETE FROM orch_import_error WHERE file = $1
