-- Revokes the token $1 (its SHA-256), or when $1 is null every live token of the user $2; $3 now.
UPDATE orch_api_token SET revoked_at = $3
WHERE revoked_at IS NULL AND (($1::text IS NOT NULL AND token_sha256 = $1) OR ($1::text IS NULL AND username = $2))
RETURNING token_sha256
