-- $1 the token's SHA-256 (hex), $2 username, $3 now, $4 expires_at.
INSERT INTO orch_api_token (token_sha256, username, created_at, expires_at) VALUES ($1, $2, $3, $4)
