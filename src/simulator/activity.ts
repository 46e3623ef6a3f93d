import type { SeededRandom } from '../core/seeded-random.ts';
import { HOUR_WEIGHTS, WEEKDAY_WEIGHTS } from './behaviour.ts';

/**
 * When users come back: a Poisson process whose rate follows the daily and weekly cycles, sampled by
 * thinning (draw at the peak rate, keep each candidate with probability rate(t)/peak). Exact for a
 * piecewise-constant rate and needs no table per user.
 */
export class ActivityCycle {
  private readonly hour: Float64Array;
  private readonly weekday: Float64Array;
  private readonly peak: number;

  constructor(hourWeights: readonly number[] = HOUR_WEIGHTS, weekdayWeights: readonly number[] = WEEKDAY_WEIGHTS) {
    if (hourWeights.length !== 24 || weekdayWeights.length !== 7) throw new RangeError('ActivityCycle needs 24 hourly and 7 daily weights');
    // Normalised so that a user's rate is their average over a week, whatever the shape of the cycle.
    const hourMean = hourWeights.reduce((a, b) => a + b, 0) / hourWeights.length;
    const dayMean = weekdayWeights.reduce((a, b) => a + b, 0) / weekdayWeights.length;
    this.hour = Float64Array.from(hourWeights, (w) => w / hourMean);
    this.weekday = Float64Array.from(weekdayWeights, (w) => w / dayMean);
    this.peak = Math.max(...this.hour) * Math.max(...this.weekday);
  }

  /** Relative activity at a Unix second (1 on average). 1970-01-01 was a Thursday, getUTCDay() 4. */
  factor(second: number): number {
    const day = Math.floor(second / 86400);
    return (this.hour[Math.floor(second / 3600) % 24] as number) * (this.weekday[(day + 4) % 7] as number);
  }

  /** The whole second of the next session start after `from`, or Infinity if it would fall after `until`. */
  nextStart(rng: SeededRandom, ratePerDay: number, from: number, until: number): number {
    const peakPerSecond = (ratePerDay * this.peak) / 86400;
    let t = from;
    for (;;) {
      t += -Math.log(1 - rng.next()) / peakPerSecond;
      if (t >= until) return Infinity;
      if (rng.next() * this.peak < this.factor(t)) return Math.ceil(t);
    }
  }
}
