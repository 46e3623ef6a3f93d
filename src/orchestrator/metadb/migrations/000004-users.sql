-- Users of the REST API and the web UI (issue 17): a role each, a scrypt password hash (src/api/auth/passwords.ts:
-- `scrypt$N$r$p$salt$hash`, the parameters kept with the hash so they can be raised later without locking anyone out).
CREATE TABLE orch_user (
  username       text PRIMARY KEY,
  role           text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  password_hash  text NOT NULL,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);

-- Opaque bearer tokens, stored only as the SHA-256 of the token (a stolen table lets no one in), with an expiry, and
-- revocable (revoked_at) before it. Deleting a user deletes its tokens.
CREATE TABLE orch_api_token (
  token_sha256  text PRIMARY KEY,
  username      text NOT NULL REFERENCES orch_user (username) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz
);
CREATE INDEX orch_api_token_user ON orch_api_token (username);

-- Failed logins per username, known or not (so the answer to a guess at an unknown name looks like any other): after a
-- few failures the name is blocked until blocked_until, doubling with each further failure; a good login clears it.
CREATE TABLE orch_login_failure (
  username         text PRIMARY KEY,
  failures         integer NOT NULL,
  last_failure_at  timestamptz NOT NULL,
  blocked_until    timestamptz
);
