/**
 * The scheduler loop's idle wait, cut short by `wake()`: an executor in the same process wakes it when a try ends, so
 * the next task of a chain is queued at once rather than after the idle pause. A wake that comes while the loop is
 * busy is kept, and the next wait returns at once (nothing that finished during a tick waits a whole idle pause).
 */
export class WakeSignal {
  #pending = false;
  #resolve: (() => void) | undefined;

  wake(): void {
    if (this.#resolve === undefined) this.#pending = true;
    else this.#resolve();
  }

  /** runScheduler's `wait`: `ms`, an abort or a wake-up, whichever comes first. */
  readonly wait = (ms: number, signal: AbortSignal): Promise<void> => {
    if (this.#pending || signal.aborted) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#resolve = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.#resolve = done;
    });
  };
}
