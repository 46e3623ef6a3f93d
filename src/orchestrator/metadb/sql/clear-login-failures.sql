-- A good login for $1: its count of failures starts over.
DELETE FROM orch_login_failure WHERE username = $1
