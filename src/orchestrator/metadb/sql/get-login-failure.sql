-- $1 username.
SELECT failures, blocked_until FROM orch_login_failure WHERE username = $1
