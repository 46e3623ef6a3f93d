-- The user a bearer token stands for: $1 the token's SHA-256 (hex), $2 now. Nothing for an unknown, expired or revoked
-- token.
SELECT u.username, u.role
FROM orch_api_token t JOIN orch_user u ON u.username = t.username
WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND t.expires_at > $2
