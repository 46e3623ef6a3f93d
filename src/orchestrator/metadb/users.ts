import type { SqlSession } from '../../engines/engine.ts';
import { sql } from './sql.ts';

/** What a user may do through the API: read; also run and steer DAGs, connections, variables and pools; everything. */
export type UserRole = 'viewer' | 'operator' | 'admin';
export const userRoles: readonly UserRole[] = ['viewer', 'operator', 'admin'];

export interface UserRow {
  username: string;
  role: UserRole;
  /** `scrypt$N$r$p$salt$hash` (src/api/auth/passwords.ts). */
  passwordHash: string;
}

/** Adds a user; false when the name is taken (its password and role are left as they are). */
export async function createUser(session: SqlSession, user: UserRow, now: Date): Promise<boolean> {
  return (await session.query(sql('create-user'), [user.username, user.role, user.passwordHash, now])).length > 0;
}

export async function getUser(session: SqlSession, username: string): Promise<UserRow | undefined> {
  const [r] = await session.query<{ username: string; role: UserRole; password_hash: string }>(sql('get-user'), [username]);
  return r && { username: r.username, role: r.role, passwordHash: r.password_hash };
}

export interface UserSummary {
  username: string;
  role: UserRole;
  createdAt: Date;
  /** Tokens neither expired nor revoked. */
  liveTokens: number;
}

export async function listUsers(session: SqlSession, now: Date): Promise<UserSummary[]> {
  const rows = await session.query<{ username: string; role: UserRole; created_at: Date; live_tokens: number }>(sql('list-users'), [now]);
  return rows.map((r) => ({ username: r.username, role: r.role, createdAt: r.created_at, liveTokens: r.live_tokens }));
}

/** Deletes a user and its tokens (its sessions end at their next request); false when there was none. */
export async function deleteUser(session: SqlSession, username: string): Promise<boolean> {
  return (await session.query(sql('delete-user'), [username])).length > 0;
}
