import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SparkifyError } from '../../core/errors.ts';
import type { LockWait } from '../engine.ts';
import { retryLock } from '../retry-lock.ts';

/** How often a waiting loader tries the lock again (SQLite's own busy wait would block this thread meanwhile). */
const retryMs = 100;

/**
 * Holds a PGlite directory for this process alone: each process runs a Postgres of its own over the same files, so two
 * at once corrupt them. Node has no flock, and a pid file needs a liveness check and a stale-lock takeover that can
 * race; SQLite, built into Node, takes a real OS lock (fcntl on Unix, LockFileEx on Windows) on a file of its own:
 * `BEGIN EXCLUSIVE` on `<dir>.lock` (beside the directory: Postgres wants its own directory to itself), held until
 * release, and released by the OS when the process dies, however it dies. Returns the release.
 */
export async function lockDirectory(dir: string, wait: LockWait): Promise<() => void> {
  let db: DatabaseSync;
  let file: string;
  try {
    file = `${lockedPath(dir)}.lock`;
    db = new DatabaseSync(file, { timeout: 0 });
  } catch (cause) {
    throw new SparkifyError('SPK_E_ENGINE', `cannot lock the embedded database in ${dir}`, { cause });
  }
  try {
    return await retryLock<() => void>(wait, retryMs, () => tryExclusive(db) ? { locked: () => db.close() } : {
      busy: `another process is using the embedded database in ${dir}`,
      givenUp: () => new SparkifyError('SPK_E_LOCKED', `another process is using the embedded database in ${dir} (its lock: ${file}); try again once it is done`, { retryable: true, details: { lock: file } }),
    });
  } catch (error) {
    db.close();
    if (error instanceof SparkifyError) throw error;
    throw new SparkifyError('SPK_E_ENGINE', `cannot lock the embedded database in ${dir}`, { cause: error });
  }
}

/** One name per directory however it is reached (a symlink, `..`): its real path, or its parent's if it is still to be made. */
function lockedPath(dir: string): string {
  const full = resolve(dir);
  if (existsSync(full)) return realpathSync(full);
  mkdirSync(dirname(full), { recursive: true });
  return join(realpathSync(dirname(full)), basename(full));
}

function tryExclusive(db: DatabaseSync): boolean {
  try {
    db.exec('BEGIN EXCLUSIVE');
    return true;
  } catch (error) {
    // SQLITE_BUSY: another process holds it. Anything else (an unwritable directory) is not a wait.
    if ((error as { errcode?: number }).errcode === 5) return false;
    throw error;
  }
}
