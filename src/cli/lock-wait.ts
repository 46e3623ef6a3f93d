import { loadLockWaitMs, type LockWait } from '../engines/engine.ts';

/**
 * How a load started from the CLI waits for another load of the same database: up to ten minutes (a large load's
 * length), saying so once on stderr, whatever --json or --no-progress say (it explains a silence). Then SPK_E_LOCKED.
 */
export function cliLockWait(): LockWait {
  return {
    ms: loadLockWaitMs,
    waiting: (what) => process.stderr.write(`${what}: waiting for it to finish (up to ${loadLockWaitMs / 60_000} minutes)\n`),
  };
}
