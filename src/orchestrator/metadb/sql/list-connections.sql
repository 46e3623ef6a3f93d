-- Whether a password and extras are set, never the sealed values: a listing has no use for them.
SELECT conn_id, conn_type, host, port, login, schema, password_encrypted IS NOT NULL AS has_password,
       extra_encrypted IS NOT NULL AS has_extra, description
FROM orch_connection ORDER BY conn_id
