import type { SqlSession } from '../../engines/engine.ts';
import { sql } from './sql.ts';
import type { UserRole } from './users.ts';

/** Stores a token by its SHA-256 only (the token itself is shown once, to whoever logged in). */
export async function createApiToken(session: SqlSession, tokenSha256: string, username: string, now: Date, expiresAt: Date): Promise<void> {
  await session.query(sql('create-api-token'), [tokenSha256, username, now, expiresAt]);
}

/** The user a live token stands for; undefined for an unknown, expired or revoked one. */
export async function tokenUser(session: SqlSession, tokenSha256: string, now: Date): Promise<{ username: string; role: UserRole } | undefined> {
  const [r] = await session.query<{ username: string; role: UserRole }>(sql('token-user'), [tokenSha256, now]);
  return r;
}

/** Revokes one token (by its SHA-256), or every live token of `username`; returns how many. */
export async function revokeApiTokens(session: SqlSession, which: { tokenSha256: string } | { username: string }, now: Date): Promise<number> {
  const params = 'tokenSha256' in which ? [which.tokenSha256, null, now] : [null, which.username, now];
  return (await session.query(sql('revoke-api-tokens'), params)).length;
}
