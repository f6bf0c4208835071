/**
 * Upper bounds of the ask latency buckets, in milliseconds: fixed and few, so recording is one
 * array walk of at most 14 steps, a histogram is 15 numbers whatever the traffic, and the same
 * buckets serve the live figures (p50/p99 read off them) and Prometheus (`_bucket{le=…}`).
 * From 1 ms (an in-process ask) to 10 s (twice the default ask timeout).
 */
export const LATENCY_BUCKETS_MS: readonly number[] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000];

/** A fixed-bucket latency histogram: counts per bucket (the last one past every bound), their sum and number. */
export class LatencyHistogram {
  /** Non-cumulative: `counts[i]` holds the samples in (bound[i-1], bound[i]]; the last one holds those above every bound. */
  readonly counts: number[] = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  count = 0;
  sumMs = 0;

  record(ms: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[i]) i++;
    this.counts[i]++;
    this.count++;
    this.sumMs += ms;
  }

  /**
   * The upper bound of the bucket holding the `q` quantile (0 < q ≤ 1), as Prometheus'
   * `histogram_quantile` would bound it; `Infinity` when it lies past the last bound, undefined
   * with no samples.
   */
  quantileMs(q: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return i < LATENCY_BUCKETS_MS.length ? LATENCY_BUCKETS_MS[i] : Infinity;
    }
    return Infinity;
  }

  /** The figures of an actor never asked: one frozen instance, so reading 10,000 idle actors allocates none. */
  static readonly EMPTY: LatencyHistogram = freeze(new LatencyHistogram());

  /** Adds another histogram's samples to this one (aggregating actors under one label). */
  add(other: LatencyHistogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    this.count += other.count;
    this.sumMs += other.sumMs;
  }
}

function freeze(histogram: LatencyHistogram): LatencyHistogram {
  Object.freeze(histogram.counts);
  return Object.freeze(histogram);
}
