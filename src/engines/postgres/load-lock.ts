import { SparkifyError } from '../../core/errors.ts';
import type { LockWait, SqlSession } from '../engine.ts';

/**
 * The advisory lock every Sparkify load of a database takes (star and warehouse loads write the same tables): "Sparkify"
 * in ASCII as one 64-bit key, a key space apart from the two-key locks of time built beside (02-time-beside.sql).
 */
const loadKey = '6012412646595847801::bigint';

/**
 * Takes the load lock in `session`: for the rest of its transaction ('transaction'), or until unlocked or the connection
 * ends ('session', for a load of several transactions). Waits up to `wait.ms`, bounded by lock_timeout (so the server
 * queues the waiters fairly and a dead loader's lock goes with its connection), then fails with SPK_E_LOCKED.
 */
export async function lockLoadsIn(session: SqlSession, where: string, wait: LockWait, scope: 'transaction' | 'session'): Promise<void> {
  const busy = (cause?: unknown) =>
    new SparkifyError('SPK_E_LOCKED', `another Sparkify load of ${where} is running; try again once it is done`, { cause, retryable: true });
  await advisoryLockIn(session, loadKey, `another Sparkify load of ${where} is running`, busy, wait, scope);
}

/**
 * Takes the advisory lock `key` (a bigint literal, e.g. '42::bigint') in `session`, as lockLoadsIn does for loads (`what`
 * is what a waiter is told it waits for); other
 * parts of the platform (the orchestrator's migrations) take keys of their own the same way. Also runs on PGlite, whose
 * one connection always gets it.
 */
export async function advisoryLockIn(session: SqlSession, key: string, what: string, busy: (cause?: unknown) => Error, wait: LockWait, scope: 'transaction' | 'session'): Promise<void> {
  const lock = scope === 'transaction' ? 'pg_advisory_xact_lock' : 'pg_advisory_lock';
  const [free] = await session.query<{ ok: boolean }>(`SELECT ${lock.replace('pg_', 'pg_try_')}(${key}) AS ok`);
  if (free?.ok === true) return;
  // lock_timeout 0 would mean no bound at all.
  if (wait.ms <= 0) throw busy();
  wait.waiting?.(what);
  if (scope === 'session') await session.exec('BEGIN');
  try {
    const [before] = await session.query<{ old: string }>(`SELECT current_setting('lock_timeout') AS old`);
    await session.query(`SELECT set_config('lock_timeout', $1, true)`, [`${Math.ceil(wait.ms)}ms`]);
    await session.query(`SELECT ${lock}(${key})`);
    await session.query(`SELECT set_config('lock_timeout', $1, true)`, [before?.old ?? '0']);
    if (scope === 'session') await session.exec('COMMIT');
  } catch (error) {
    if (scope === 'session') await session.exec('ROLLBACK').catch(() => undefined);
    throw sqlstate(error) === '55P03' ? busy(error) : error;
  }
}

/**
 * The load lock held on a connection of its own (`withSession` lends one until its callback settles) until the returned
 * release is called: for a load whose statements run in several transactions on several connections.
 */
export async function holdLoadLock(withSession: (fn: (session: SqlSession) => Promise<void>) => Promise<void>, where: string, wait: LockWait): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const taken = new Promise<void>((resolve) => (locked = resolve));
  const held = withSession(async (session) => {
    await lockLoadsIn(session, where, wait, 'session');
    locked();
    await released;
    await session.query(`SELECT pg_advisory_unlock(${loadKey})`);
  });
  await Promise.race([taken, held]);
  return async () => {
    release();
    // Should the unlock fail, the connection is gone, and the lock with it.
    await held.catch(() => undefined);
  };
}

/** The SQLSTATE of a driver error, or of the one a SparkifyError wraps. */
function sqlstate(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined || cause === null ? undefined : sqlstate(cause);
}
