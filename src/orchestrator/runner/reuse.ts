import type { BigIntStats } from 'node:fs';

/** A DAG file's identity for reuse: a process that imported it runs it again only while this is unchanged. */
export function fileSignature(stat: BigIntStats): string {
  return `${stat.ino}:${stat.mtimeNs}:${stat.size}`;
}

/** Above this much heap after a try, the process is replaced rather than reused (a leak would grow without bound). */
const heapLimitBytes = 384 * 1024 * 1024;

/**
 * Whether a task process is fit to run another try: nothing the try started is still alive in it. Node's count of
 * active resources by kind (timers, sockets, file requests, …) after the try is compared with the count the process
 * had when it started; anything more (a pool's idle timer, a socket left open, a pending read) means the try left
 * work behind that could act during the next one, so the process is retired instead (as it always was before reuse).
 */
export class ReuseCheck {
  #baseline = new Map<string, number>();

  /** The resources of a fresh process, before any task code ran. */
  baseline(): void {
    // stdout and stderr are made on first use (the end-of-try markers use them): made now, they are in the baseline.
    void process.stdout;
    void process.stderr;
    this.#baseline = count(process.getActiveResourcesInfo());
  }

  /** Why the process must not be reused, or null. */
  leftovers(): string | null {
    const now = count(process.getActiveResourcesInfo());
    const extra: string[] = [];
    for (const [kind, n] of now) {
      const more = n - (this.#baseline.get(kind) ?? 0);
      if (more > 0) extra.push(`${more} ${kind}`);
    }
    if (extra.length > 0) return `the task left ${extra.join(', ')} open`;
    const heap = process.memoryUsage().heapUsed;
    if (heap > heapLimitBytes) return `its heap grew to ${Math.round(heap / 1048576)} MiB`;
    return null;
  }
}

function count(kinds: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of kinds) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}
