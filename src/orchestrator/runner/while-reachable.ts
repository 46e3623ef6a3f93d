import { SparkifyError } from '../../core/errors.ts';

export interface OutageOptions {
  /** Give up (rethrow) once this is true: the claim was lost, so nothing of this try may be written any more. */
  givenUp?: () => boolean;
  /** Give up after the database has been unreachable this long (default 5 min; a lease lapses sooner). */
  maxMs?: number;
}

/**
 * Runs a write of the try's outcome or log again while the metadata database is unreachable (a retryable
 * SPK_E_CONNECTION: a restart, a failover), with backoff from 100 ms to 5 s. Every such write is compare-and-set on
 * the claim (or an append under it), so repeating it is safe; the executor keeps renewing the try's lease meanwhile,
 * and if a renewal is refused the try is lost and `givenUp` ends the wait. Other errors are thrown at once.
 */
export async function whileReachable<T>(write: () => Promise<T>, options: OutageOptions = {}): Promise<T> {
  const started = Date.now();
  let delay = 100;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      const outage = error instanceof SparkifyError && error.code === 'SPK_E_CONNECTION' && error.retryable;
      if (!outage || options.givenUp?.() === true || Date.now() - started >= (options.maxMs ?? 300_000)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(5000, delay * 2);
    }
  }
}
