/**
 * Runs `produce` over `items` with at most `limit` producers at once and yields what they produce, interleaved as
 * it arrives. Producers wait while `buffer` items are queued (bounded memory); the first failure ends the merge
 * with that error, and so does the consumer stopping early: either way producers still running are told to stop.
 */
export async function* mergeBounded<T, R>(
  items: readonly T[],
  limit: number,
  produce: (item: T, index: number) => AsyncIterable<R>,
  buffer = 64,
): AsyncGenerator<R> {
  const queue: R[] = [];
  let failed: { error: unknown } | undefined;
  let stopped = false;
  let running = 0;
  let next = 0;
  let wakeConsumer: (() => void) | undefined;
  const waitingProducers: (() => void)[] = [];
  const wake = () => {
    wakeConsumer?.();
    wakeConsumer = undefined;
  };
  const release = () => {
    for (const resume of waitingProducers.splice(0)) resume();
  };

  const runProducer = async (item: T, index: number) => {
    try {
      for await (const value of produce(item, index)) {
        if (stopped || failed) return;
        while (queue.length >= buffer && !stopped && !failed) await new Promise<void>((resume) => waitingProducers.push(resume));
        if (stopped || failed) return;
        queue.push(value);
        wake();
      }
    } catch (error) {
      failed ??= { error };
      release();
    } finally {
      running--;
      startMore();
      wake();
    }
  };
  const startMore = () => {
    while (!stopped && !failed && running < limit && next < items.length) {
      running++;
      const index = next++;
      void runProducer(items[index] as T, index);
    }
  };

  try {
    startMore();
    for (;;) {
      if (failed) throw failed.error;
      if (queue.length > 0) {
        const value = queue.shift() as R;
        if (queue.length < buffer) release();
        yield value;
        continue;
      }
      if (running === 0 && next >= items.length) return;
      await new Promise<void>((resume) => (wakeConsumer = resume));
    }
  } finally {
    stopped = true;
    release();
  }
}
