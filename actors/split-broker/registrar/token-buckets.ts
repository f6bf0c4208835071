import type { Clock } from '../../../lib/ports/clock.ts';
import { DEFAULT_RATE_LIMIT } from '../limits.ts';

export interface RateLimit {
  /** Requests a source may send at once. */
  burst: number;
  /** Requests per second a source earns back. */
  perSecond: number;
  /** Sources remembered at most; the longest idle is forgotten first (it would be full again anyway). */
  maxSources: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** One token bucket per source address, on the Clock port, bounded in the sources it keeps. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: RateLimit = DEFAULT_RATE_LIMIT,
  ) {}

  /** Takes a token for `source`; false when its bucket is empty. */
  take(source: string): boolean {
    const now = this.clock.now();
    const bucket = this.buckets.get(source) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    // Re-inserted so the Map's order is least recently seen first.
    this.buckets.delete(source);
    this.buckets.set(source, bucket);
    if (this.buckets.size > this.limit.maxSources) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
