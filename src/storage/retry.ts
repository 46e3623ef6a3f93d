import { SparkifyError } from '../core/errors.ts';

export interface RetryPolicy {
  /** Total tries, the first included (default 5). */
  attempts: number;
  /** First back-off in ms; doubled each time, capped at `maxDelayMs`, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected so tests run without waiting. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * Runs `fn` until it succeeds, fails with an error that is not retryable, or runs out of attempts. Whether to
 * retry is a property of the error (`SparkifyError.retryable`), decided where the driver error is translated.
 */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy = defaultRetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const retryable = error instanceof SparkifyError && error.retryable;
      if (!retryable || attempt >= policy.attempts) throw error;
      await policy.sleep(backoff(policy, attempt));
    }
  }
}

/** "Full jitter" (a random delay up to the exponential bound): retrying clients do not stampede in step. */
export function backoff(policy: RetryPolicy, attempt: number): number {
  const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * bound);
}
