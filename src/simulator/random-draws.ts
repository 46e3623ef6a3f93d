import type { SeededRandom } from '../core/seeded-random.ts';

/** Standard normal by Box–Muller; one value per call keeps the stream position independent of caching. */
export function normal(rng: SeededRandom): number {
  const u = 1 - rng.next(); // (0, 1], so the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Log-normal described by its median and the standard deviation of its log: how the sample's dwell times and activity rates spread. */
export function logNormal(rng: SeededRandom, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/** Exponential waiting time with the given rate (events per unit). */
export function exponential(rng: SeededRandom, rate: number): number {
  return -Math.log(1 - rng.next()) / rate;
}

/** Picks an index from cumulative weights ending in 1 (linear scan: the rows here are short). */
export function pickCumulative(rng: SeededRandom, cumulative: Float64Array): number {
  const u = rng.next();
  const last = cumulative.length - 1;
  for (let i = 0; i < last; i++) if (u < (cumulative[i] as number)) return i;
  return last;
}

/** Turns weights into cumulative probabilities ending exactly at 1. */
export function cumulate(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError('weights must have a positive sum');
  const out = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w;
    out[i] = acc / total;
  });
  out[out.length - 1] = 1;
  return out;
}
