-- $1 conn_id, $2 conn_type, $3 host, $4 port, $5 login, $6 schema, $7 password (sealed), $8 extra (sealed),
-- $9 description. Adding an id already there replaces it.
INSERT INTO orch_connection (conn_id, conn_type, host, port, login, schema, password_encrypted, extra_encrypted, description)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (conn_id) DO UPDATE
  SET conn_type = EXCLUDED.conn_type, host = EXCLUDED.host, port = EXCLUDED.port, login = EXCLUDED.login,
      schema = EXCLUDED.schema, password_encrypted = EXCLUDED.password_encrypted,
      extra_encrypted = EXCLUDED.extra_encrypted, description = EXCLUDED.description
