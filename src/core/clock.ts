/**
 * The current time as a parameter (Dagster's habit): schedules, retries and leases ask a Clock, never `Date.now()`,
 * so their tests move time by hand instead of sleeping.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to. */
export class TestClock implements Clock {
  #ms: number;

  constructor(start: Date | string | number = 0) {
    this.#ms = new Date(start).getTime();
    if (Number.isNaN(this.#ms)) throw new RangeError(`TestClock: not a time: ${String(start)}`);
  }

  /** A new Date each time: a caller mutating what it got cannot move the clock. */
  now(): Date {
    return new Date(this.#ms);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`TestClock: cannot advance by ${ms} ms (time does not go back)`);
    this.#ms += ms;
    return this.now();
  }

  /** Jumps to `to`; never backwards, which no real clock the scheduler trusts would do either. */
  set(to: Date | string): Date {
    const ms = new Date(to).getTime();
    if (Number.isNaN(ms) || ms < this.#ms) throw new RangeError(`TestClock: cannot set to ${String(to)}`);
    this.#ms = ms;
    return this.now();
  }
}
