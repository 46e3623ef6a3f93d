-- $1 username.
SELECT username, role, password_hash FROM orch_user WHERE username = $1
