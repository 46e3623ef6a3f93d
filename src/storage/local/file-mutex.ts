import { setTimeout as delay } from 'node:timers/promises';
import { SparkifyError } from '../../core/errors.ts';

/** The file beside an object whose OS lock guards a compare-and-swap of it; never listed as an object. */
export const mutexSuffix = '.cas-lock';

/** How long a compare-and-swap waits for another one (each holds the lock for one small read and one rename). */
const mutexWaitMs = 10_000;

/**
 * Runs `fn` holding an exclusive OS lock on `<path>.cas-lock`: SQLite's `BEGIN EXCLUSIVE` (node:sqlite, built in), a
 * real fcntl lock the kernel drops when the process dies, as the PGlite directory lock does
 * (docs/decisions/2026-12-07-loads-take-turns.md). A lock file of our own would need a stale-lock takeover: the very
 * compare-and-swap this exists to make. The file stays: unlinking it while another process waits on it would let two in.
 */
export async function withFileMutex<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const { DatabaseSync } = await import('node:sqlite');
  const file = `${path}${mutexSuffix}`;
  let db;
  try {
    db = new DatabaseSync(file, { timeout: 0 });
  } catch (cause) {
    throw new SparkifyError('SPK_E_STORAGE', `cannot open ${file}`, { cause, details: { path: file } });
  }
  try {
    const deadline = Date.now() + mutexWaitMs;
    for (;;) {
      try {
        db.exec('BEGIN EXCLUSIVE');
        break;
      } catch (error) {
        // SQLITE_BUSY: another process is in its compare-and-swap for a moment. Anything else is not a wait.
        if ((error as { errcode?: number }).errcode !== 5 || Date.now() >= deadline) {
          throw new SparkifyError('SPK_E_STORAGE', `cannot lock ${file}`, { cause: error, retryable: true, details: { path: file } });
        }
        await delay(2);
      }
    }
    return await fn();
  } finally {
    db.close();
  }
}
