-- $1 username, $2 role, $3 password hash, $4 now: a new user; no row back when the name is taken.
INSERT INTO orch_user (username, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
ON CONFLICT (username) DO NOTHING
RETURNING username
