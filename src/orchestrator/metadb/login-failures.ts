import type { SqlSession } from '../../engines/engine.ts';
import { sql } from './sql.ts';

/** How failed logins slow a name down: free tries, then `baseSeconds` doubling per failure up to `maxSeconds`. */
export interface LoginBackoff {
  freeFailures: number;
  baseSeconds: number;
  maxSeconds: number;
}

export const defaultLoginBackoff: LoginBackoff = { freeFailures: 3, baseSeconds: 1, maxSeconds: 900 };

/**
 * Starts a login attempt for `username`, in the caller's transaction, before its password is checked: refused
 * (`blockedUntil`) while the name is blocked, else counted as a failure at once (a good login then clears the count).
 * Attempts for one name take turns on its row's lock, so a burst of concurrent guesses cannot all be checked before
 * the first of them is counted: at most `freeFailures + 1` passwords are checked before the block holds.
 */
export async function beginLoginAttempt(tx: SqlSession, username: string, now: Date, backoff: LoginBackoff = defaultLoginBackoff): Promise<{ allowed: boolean; blockedUntil: Date | undefined }> {
  await tx.query(sql('ensure-login-failure'), [username, now]);
  const [row] = await tx.query<{ blocked_until: Date | null }>(sql('lock-login-failure'), [username]);
  if (row?.blocked_until != null && row.blocked_until > now) return { allowed: false, blockedUntil: row.blocked_until };
  return { allowed: true, blockedUntil: await recordLoginFailure(tx, username, now, backoff) };
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
