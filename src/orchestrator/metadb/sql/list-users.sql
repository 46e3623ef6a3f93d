-- Every user with its role and how many live tokens it has at $1 (now); never the hashes.
SELECT u.username, u.role, u.created_at,
       (SELECT count(*) FROM orch_api_token t WHERE t.username = u.username AND t.revoked_at IS NULL AND t.expires_at > $1)::int AS live_tokens
FROM orch_user u ORDER BY u.username
