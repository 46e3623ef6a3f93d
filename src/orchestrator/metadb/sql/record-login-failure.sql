-- One more failed login for $1 at $2 (now). From the $3-th failure on, the name is blocked for $4 seconds, doubling
-- with each failure after that, at most $5 seconds. In one statement, so concurrent failures each count.
INSERT INTO orch_login_failure AS f (username, failures, last_failure_at, blocked_until)
VALUES ($1, 1, $2, CASE WHEN 1 >= $3::int THEN $2::timestamptz + make_interval(secs => $4::double precision) END)
ON CONFLICT (username) DO UPDATE SET
  failures = f.failures + 1,
  last_failure_at = $2,
  blocked_until = CASE WHEN f.failures + 1 >= $3::int
    THEN $2::timestamptz + make_interval(secs => least($4::double precision * power(2, f.failures + 1 - $3::int), $5::double precision)) END
RETURNING failures, blocked_until
