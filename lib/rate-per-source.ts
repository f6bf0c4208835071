import type { Clock } from './ports/clock.ts';

export interface RateLimit {
  /** Requests a source may send at once. */
  burst: number;
  /** Requests per second a source earns back. */
  perSecond: number;
  /** Sources remembered at most; the longest idle is forgotten first (its bucket would be full again anyway). */
  maxSources: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * One token bucket per source, on the Clock port, bounded in the sources it keeps: what an edge
 * (the split broker's registrars, the rendezvous server) bounds each sender with.
 */
export class RatePerSource {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: RateLimit,
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

/**
 * Who a connection counts against: its IPv4 address, or the /64 of its IPv6 address (one
 * subscriber holds a whole /64). An IPv4 address mapped into IPv6 is its IPv4 address.
 */
export function sourceOfHost(host: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  if (mapped) return mapped[1]!;
  if (!host.includes(':')) return host || 'unknown';
  const [head = '', tail] = host.split('%')[0]!.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array.from({ length: Math.max(0, 8 - left.length - right.length) }, () => '0');
  return `${[...left, ...fill, ...right].slice(0, 4).map((hextet) => hextet.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
