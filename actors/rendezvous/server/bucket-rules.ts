import type { Clock } from '../../../lib/ports/clock.ts';
import { RatePerSource } from '../../../lib/rate-per-source.ts';
import {
  BUCKET_OPEN_MS,
  BUCKET_TTL_MS,
  FETCH_BURST,
  FETCHES_PER_SECOND,
  MAX_BUCKETS_PER_SECOND,
  MAX_LINKS_PER_BUCKET,
  MAX_SOURCES,
  STORE_BURST,
  STORES_PER_SECOND,
} from '../limits.ts';
import { bucketHash, isBucketHash, type BucketId } from '../wire/bucket-id.ts';
import { sealedLinkProblem } from '../wire/sealed-link.ts';
import type { RefusalCode } from './refusals.ts';

export interface BucketLimits {
  /** Links per bucket. */
  maxLinks: number;
  /** A bucket takes links this long after it opened, at most. */
  openMs: number;
  /** Buckets opened per second at most (sequence numbers 0..maxPerSecond−1). */
  maxPerSecond: number;
  /** A bucket's life, from its opening. */
  ttlMs: number;
  /** Stores per source: at once, and per second after. */
  storeBurst: number;
  storesPerSecond: number;
  /** Fetches per source: at once, and per second after. */
  fetchBurst: number;
  fetchesPerSecond: number;
  /** Sources whose rates are remembered. */
  maxSources: number;
}

export const DEFAULT_BUCKET_LIMITS: Readonly<BucketLimits> = Object.freeze({
  maxLinks: MAX_LINKS_PER_BUCKET,
  openMs: BUCKET_OPEN_MS,
  maxPerSecond: MAX_BUCKETS_PER_SECOND,
  ttlMs: BUCKET_TTL_MS,
  storeBurst: STORE_BURST,
  storesPerSecond: STORES_PER_SECOND,
  fetchBurst: FETCH_BURST,
  fetchesPerSecond: FETCHES_PER_SECOND,
  maxSources: MAX_SOURCES,
});

/** Where the next link goes: a slot of a bucket, and when the bucket expires. */
export interface Placement {
  id: BucketId;
  hash: Buffer;
  slot: number;
  expiresAt: number;
}

export interface BucketFigures {
  /** Links placed by this incarnation. */
  stored: number;
  /** Buckets opened by this incarnation. */
  opened: number;
  fetched: number;
  refusals: Partial<Record<RefusalCode, number>>;
}

interface OpenBucket {
  id: BucketId;
  hash: Buffer;
  openedAt: number;
  links: number;
}

/**
 * The rendezvous server's rules, transport-free and store-free (the matcher's shape): what it
 * admits from which source, and which bucket and slot each new link goes to. A bucket takes
 * links until it holds `maxLinks` or is `openMs` old; its id is the second it opened in and a
 * sequence number among the buckets opened in that second, at most `maxPerSecond` of them, so
 * an honest server never hands out an id a client would refuse. Time comes from the Clock port.
 */
export class BucketRules {
  private current: OpenBucket | undefined;
  private lastSecond = -1;
  private lastSequence = -1;
  private readonly storeRate: RatePerSource;
  private readonly fetchRate: RatePerSource;
  private readonly figuresSoFar: BucketFigures = { stored: 0, opened: 0, fetched: 0, refusals: {} };

  constructor(
    private readonly clock: Clock,
    private readonly limits: BucketLimits = DEFAULT_BUCKET_LIMITS,
  ) {
    this.storeRate = new RatePerSource(clock, { burst: limits.storeBurst, perSecond: limits.storesPerSecond, maxSources: limits.maxSources });
    this.fetchRate = new RatePerSource(clock, { burst: limits.fetchBurst, perSecond: limits.fetchesPerSecond, maxSources: limits.maxSources });
  }

  /** Whether a link from `source` is taken in: its size and version, then the source's rate. */
  admitStore(source: string, link: Uint8Array): RefusalCode | undefined {
    const problem = sealedLinkProblem(link);
    if (problem) return this.refuse(problem);
    if (!this.storeRate.take(source)) return this.refuse('RATE_LIMITED');
    return undefined;
  }

  /** Whether a fetch from `source` is answered: the hash's length, then the source's rate. */
  admitFetch(source: string, hash: Uint8Array): RefusalCode | undefined {
    if (!isBucketHash(hash)) return this.refuse('HASH_FORMAT');
    if (!this.fetchRate.take(source)) return this.refuse('RATE_LIMITED');
    this.figuresSoFar.fetched += 1;
    return undefined;
  }

  /** The bucket and slot for the next link (opening a bucket if the current one is full or old), or BUSY. */
  place(): Placement | 'BUSY' {
    const now = this.clock.now();
    const current = this.current;
    if (current && current.links < this.limits.maxLinks && now - current.openedAt < this.limits.openMs) return this.placementIn(current);
    const opened = this.open(now);
    if (!opened) return this.refuse('BUSY') as 'BUSY';
    return this.placementIn(opened);
  }

  /** The store took the link in its slot. */
  added(placement: Placement): void {
    if (this.current && sameBucket(this.current.id, placement.id) && this.current.links === placement.slot) this.current.links += 1;
    this.figuresSoFar.stored += 1;
  }

  /**
   * The store already holds that slot: a bucket an earlier incarnation opened in this same second.
   * The bucket is closed to this incarnation; the next `place` opens the next sequence number.
   */
  taken(placement: Placement): void {
    if (this.current && sameBucket(this.current.id, placement.id)) this.current = undefined;
  }

  /** Counts a refusal decided elsewhere (the store's), and returns it. */
  refuse(code: RefusalCode): RefusalCode {
    this.figuresSoFar.refusals[code] = (this.figuresSoFar.refusals[code] ?? 0) + 1;
    return code;
  }

  figures(): BucketFigures {
    return { ...this.figuresSoFar, refusals: { ...this.figuresSoFar.refusals } };
  }

  private open(now: number): OpenBucket | undefined {
    const seconds = Math.floor(now / 1000);
    const sequence = seconds === this.lastSecond ? this.lastSequence + 1 : 0;
    if (sequence >= this.limits.maxPerSecond) return undefined;
    this.lastSecond = seconds;
    this.lastSequence = sequence;
    const id = { seconds, sequence };
    this.current = { id, hash: bucketHash(id), openedAt: now, links: 0 };
    this.figuresSoFar.opened += 1;
    return this.current;
  }

  private placementIn(bucket: OpenBucket): Placement {
    return { id: bucket.id, hash: bucket.hash, slot: bucket.links, expiresAt: bucket.openedAt + this.limits.ttlMs };
  }
}

const sameBucket = (a: BucketId, b: BucketId) => a.seconds === b.seconds && a.sequence === b.sequence;
