/**
 * Runs `fn` over `items` with at most `limit` calls in flight, and resolves when all are done. The first
 * failure stops new work from starting and is the error thrown (later failures never hide it).
 */
export async function forEachBounded<T>(items: Iterable<T> | AsyncIterable<T>, limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : toAsync(items[Symbol.iterator]());
  let failed: { error: unknown } | undefined;
  let index = 0;
  const worker = async () => {
    while (failed === undefined) {
      const next = await iterator.next();
      if (next.done) return;
      try {
        await fn(next.value, index++);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (failed) throw failed.error;
}

function toAsync<T>(it: Iterator<T>): AsyncIterator<T> {
  return { next: async () => it.next() };
}
