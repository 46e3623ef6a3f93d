/**
 * Request latencies in logarithmic buckets 1% wide (1 µs to ~17 min): constant memory however many requests,
 * percentiles within 1%. Keeping every sample would itself inflate the peak RSS being measured.
 */
export class LatencyHistogram {
  private static readonly base = Math.log(1.01);
  private static readonly minMs = 0.001;
  private readonly buckets = new Float64Array(2100);
  count = 0;
  failed = 0;

  record(ms: number, failed = false): void {
    const i = Math.min(this.buckets.length - 1, Math.max(0, Math.floor(Math.log(Math.max(ms, LatencyHistogram.minMs) / LatencyHistogram.minMs) / LatencyHistogram.base)));
    this.buckets[i] = (this.buckets[i] ?? 0) + 1;
    this.count++;
    if (failed) this.failed++;
  }

  /** The latency (ms, a bucket's upper edge) below which `p` (0-1) of the requests fell. */
  percentile(p: number): number {
    const rank = Math.ceil(p * this.count);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i] ?? 0;
      if (seen >= rank && seen > 0) return LatencyHistogram.minMs * Math.exp((i + 1) * LatencyHistogram.base);
    }
    return 0;
  }
}
