import type { SqlSession } from '../../engines/engine.ts';
import { sql } from './sql.ts';

/** How failed logins slow a name down: free tries, then `baseSeconds` doubling per failure up to `maxSeconds`. */
export interface LoginBackoff {
  freeFailures: number;
  baseSeconds: number;
  maxSeconds: number;
}

export const defaultLoginBackoff: LoginBackoff = { freeFailures: 3, baseSeconds: 1, maxSeconds: 900 };

/** Until when `username` may not try again (undefined: it may now). */
export async function loginBlockedUntil(session: SqlSession, username: string, now: Date): Promise<Date | undefined> {
  const [r] = await session.query<{ blocked_until: Date | null }>(sql('get-login-failure'), [username]);
  return r?.blocked_until != null && r.blocked_until > now ? r.blocked_until : undefined;
}

/** Counts a failed login; returns until when the name is now blocked, if it is. */
export async function recordLoginFailure(session: SqlSession, username: string, now: Date, backoff: LoginBackoff = defaultLoginBackoff): Promise<Date | undefined> {
  // A threshold (the (freeFailures+1)-th failure blocks) counted from 1 in SQL.
  const [r] = await session.query<{ blocked_until: Date | null }>(sql('record-login-failure'),
    [username, now, backoff.freeFailures + 1, backoff.baseSeconds, backoff.maxSeconds]);
  return r?.blocked_until ?? undefined;
}

export async function clearLoginFailures(session: SqlSession, username: string): Promise<void> {
  await session.query(sql('clear-login-failures'), [username]);
}
