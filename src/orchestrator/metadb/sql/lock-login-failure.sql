-- $1 username: its count of failures and block, locked until the attempt is counted (attempts for one name take turns).
SELECT failures, blocked_until FROM orch_login_failure WHERE username = $1 FOR UPDATE
