/**
 * Zipf-like rank in [0, n): the continuous power law p(x) ∝ x^-s on [1, n+1], inverted and floored. It needs
 * no table, so a catalog of any size costs nothing to sample from, at the price of being only approximately
 * Zipf for the first few ranks.
 */
export function zipfRank(u: number, n: number, exponent: number): number {
  if (n <= 1) return 0;
  const x = exponent === 1 ? Math.exp(u * Math.log(n + 1)) : (1 + u * ((n + 1) ** (1 - exponent) - 1)) ** (1 / (1 - exponent));
  const rank = Math.floor(x) - 1;
  return rank < 0 ? 0 : rank >= n ? n - 1 : rank;
}
