import { hostname } from 'node:os';
import { SparkifyError } from '../../core/errors.ts';
import type { LockWait } from '../../engines/engine.ts';
import { retryLock } from '../../engines/retry-lock.ts';
import { joinKey, type ObjectStore, type TaggedObject } from '../../storage/object-store.ts';

/** The lock object in the lake's root (docs/decisions/2026-12-08-lake-lock.md). */
export const lockName = '_lock.json';

/** How long a lock outlives a holder that stopped renewing it (killed, or cut off): a waiter takes it over then. */
export const defaultLakeLeaseMs = 30_000;

export interface LakeLockOptions {
  wait: LockWait;
  leaseMs: number;
  /** This run, in the lock (unique per run). */
  owner: string;
  /** A monotonic clock in ms (injected in tests); staleness is measured on it, never on the holder's clock. */
  now?: () => number;
}

export interface LakeLock {
  /** Renews the lease now; SPK_E_LOCKED if another build has taken the lock over. Called before the commit. */
  check(): Promise<void>;
  /** Stops renewing and deletes the lock if it is still this run's. */
  release(): Promise<void>;
}

interface LockBody {
  format: 'sparkify-lake-lock/1';
  owner: string;
  host: string;
  pid: number;
  acquiredAt: string;
  renewedAt: string;
  leaseMs: number;
  /** Makes every write's bytes (so its tag) unique, even two in the same millisecond. */
  renewals: number;
}

/**
 * Takes the lake's lock: created only if absent (an exclusive create locally, `If-None-Match: *` on S3), renewed every
 * third of its lease by compare-and-swap on its tag, and taken over, by compare-and-swap too, once a waiter has seen
 * the same version of it for a whole lease: the holder stopped renewing (kill -9, a lost network). Two waiters cannot
 * both take it: the second swap's tag is stale. Lapse is measured on the waiter's own clock from when it first saw
 * that version, so the hosts' clocks need not agree. A waiter says once that it waits, and gives up with SPK_E_LOCKED.
 */
export async function acquireLakeLock(store: ObjectStore, prefix: string, options: LakeLockOptions): Promise<LakeLock> {
  const key = joinKey(prefix, lockName);
  const now = options.now ?? (() => performance.now());
  const acquiredAt = new Date().toISOString();
  let renewals = 0;
  const bodyOf = (): string => `${JSON.stringify({ format: 'sparkify-lake-lock/1', owner: options.owner, host: hostname(), pid: process.pid, acquiredAt,
    renewedAt: new Date().toISOString(), leaseMs: options.leaseMs, renewals } satisfies LockBody, null, 2)}\n`;
  // A conditional write refused may still have landed: a retried request whose first answer was lost. The lock then
  // holds exactly what this run wrote.
  const landed = async (written: string): Promise<string | undefined> => {
    const current = await store.getTagged(key);
    return current !== undefined && current.body.toString('utf8') === written ? current.etag : undefined;
  };

  let seen: { etag: string; since: number } | undefined;
  let etag = await retryLock<string>(options.wait, Math.min(500, Math.max(20, options.leaseMs / 4)), async () => {
    for (;;) {
      const mine = bodyOf();
      const created = (await store.putIfAbsent(key, mine)) ?? (await landed(mine));
      if (created !== undefined) return { locked: created };
      const current = await store.getTagged(key);
      if (current === undefined) continue; // released in between: try to create it again
      const holder = parse(current);
      if (seen?.etag !== current.etag) seen = { etag: current.etag, since: now() };
      else if (now() - seen.since >= holder.leaseMs) {
        const taken = (await store.putIfMatch(key, mine, current.etag)) ?? (await landed(mine));
        if (taken !== undefined) return { locked: taken };
        continue; // another waiter took it over first, or the holder renewed at last: look again
      }
      const what = `another lake build (${holder.host} pid ${holder.pid}, since ${holder.acquiredAt}) holds ${store.url(key)}`;
      return {
        busy: what,
        givenUp: () => new SparkifyError('SPK_E_LOCKED', `${what}; try again once it is done (a killed build's lock lapses ${holder.leaseMs / 1000} s after its last renewal)`,
          { retryable: true, details: { lock: store.url(key), holder } }),
      };
    }
  });

  let lost: SparkifyError | undefined;
  let failed: unknown;
  let renewedAt = now();
  let renewing: Promise<void> = Promise.resolve();
  const renewOnce = async (): Promise<void> => {
    if (lost) return;
    renewals++;
    const next = bodyOf();
    try {
      const tag = (await store.putIfMatch(key, next, etag)) ?? (await landed(next));
      if (tag === undefined) {
        lost = new SparkifyError('SPK_E_LOCKED', `this build's lock on ${store.url(key)} was taken over by another build (its lease of ${options.leaseMs / 1000} s lapsed); nothing was committed`, { retryable: true });
        return;
      }
      etag = tag;
      renewedAt = now();
      failed = undefined;
    } catch (cause) {
      failed = cause;
      // A failed request is tried again at the next renewal; the lock is lost only once a whole lease has passed.
      if (now() - renewedAt >= options.leaseMs) lost = new SparkifyError('SPK_E_LOCKED', `cannot renew this build's lock on ${store.url(key)}`, { cause, retryable: true });
    }
  };
  const renew = () => (renewing = renewing.then(renewOnce));
  const timer = setInterval(() => void renew(), Math.max(10, options.leaseMs / 3));
  timer.unref();

  return {
    async check() {
      await renew();
      if (lost) throw lost;
      if (failed !== undefined) throw new SparkifyError('SPK_E_STORAGE', `cannot renew this build's lock on ${store.url(key)}`, { cause: failed, retryable: true });
    },
    async release() {
      clearInterval(timer);
      await renewing;
      if (!lost) await store.deleteIfMatch(key, etag);
    },
  };
}

function parse(current: TaggedObject): LockBody {
  try {
    const body = JSON.parse(current.body.toString('utf8')) as LockBody;
    if (body.format === 'sparkify-lake-lock/1' && typeof body.leaseMs === 'number') return body;
  } catch {
    // not ours, or damaged: below
  }
  // Something else under the lock's name is held to the default lease: it is taken over once it has stood still that long.
  return { format: 'sparkify-lake-lock/1', owner: '?', host: '?', pid: 0, acquiredAt: '?', renewedAt: '?', leaseMs: defaultLakeLeaseMs, renewals: 0 };
}
