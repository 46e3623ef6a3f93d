import { setTimeout as delay } from 'node:timers/promises';
import type { LockWait } from './engine.ts';

/** What one try at a lock found: the thing it locked, or that another process holds it (and the error to give up with). */
export type LockAttempt<T> = { locked: T } | { busy: string; givenUp: () => Error };

/**
 * Tries `attempt` every `retryMs` until it locks or `wait.ms` has passed (for locks that refuse at once and have no
 * wait of their own: a SQLite file lock, DuckDB's), telling `wait.waiting` once that it waits; then fails with the last
 * try's error.
 */
export async function retryLock<T>(wait: LockWait, retryMs: number, attempt: () => Promise<LockAttempt<T>> | LockAttempt<T>): Promise<T> {
  const deadline = Date.now() + wait.ms;
  for (let told = false; ; told = true) {
    const found = await attempt();
    if ('locked' in found) return found.locked;
    if (Date.now() >= deadline) throw found.givenUp();
    if (!told) wait.waiting?.(found.busy);
    await delay(Math.min(retryMs, Math.max(0, deadline - Date.now())));
  }
}
