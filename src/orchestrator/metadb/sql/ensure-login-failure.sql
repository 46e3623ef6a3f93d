-- $1 username, $2 now: a row to lock for this name's attempts, with no failure counted yet (a good login deletes it).
INSERT INTO orch_login_failure (username, failures, last_failure_at, blocked_until) VALUES ($1, 0, $2, NULL)
ON CONFLICT (username) DO NOTHING
