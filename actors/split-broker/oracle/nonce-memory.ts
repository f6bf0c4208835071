import sodium from 'sodium-native';
import { NONCE_FALSE_REFUSAL_RATE } from '../limits.ts';
import { BloomFilter, type HashPair } from './bloom-filter.ts';

/** What the nonce memory says of a nonce it is asked to admit. */
export type NonceAdmission = 'fresh' | 'replayed';

/** Live spans at most: a nonce must outlive its own span by two more (see `admit`). */
const LIVE_SPANS = 3;

/**
 * The nonces seen recently, in fixed memory that never fills up: one Bloom filter per span of
 * arrivals (a span is half the keep time, i.e. one freshness window), three spans at most.
 *
 * - A replay within the keep time is always refused: a Bloom filter has no false negatives, and
 *   a span is dropped only once every nonce in it is older than the keep time (by then its
 *   timestamp is stale, so the Oracle refuses the replay as stale).
 * - A fresh nonce is wrongly called replayed with a probability of at most `falseRefusalRate`
 *   while at most `capacity` nonces arrive per span; past that the rate rises smoothly
 *   (`falseRefusalRate(n)`) instead of refusing everyone, so a flood cannot lock others out.
 *
 * Positions come from a keyed SipHash (libsodium's crypto_shorthash) under a random key held
 * here only, so nobody can choose nonces that aim at the bits of someone else's.
 */
export class NonceMemory {
  private readonly spans = new Map<number, BloomFilter>();
  private readonly key = Buffer.alloc(sodium.crypto_shorthash_KEYBYTES);
  private readonly hashBytes = Buffer.alloc(sodium.crypto_shorthash_BYTES);
  private readonly spanMs: number;

  constructor(
    /** How long a nonce must be remembered: twice the freshness window. */
    readonly keepMs: number,
    /** Nonces arriving within one span (half of `keepMs`) that keep the false-refusal rate at its bound. */
    readonly capacity: number,
    /** The bound, for all live spans together. */
    readonly falseRefusalRate: number = NONCE_FALSE_REFUSAL_RATE,
  ) {
    this.spanMs = keepMs / 2;
    sodium.randombytes_buf(this.key);
  }

  /** Nonces remembered by the live spans. */
  get size(): number {
    let size = 0;
    for (const span of this.spans.values()) size += span.size;
    return size;
  }

  /** The filter one span gets: sized so that the live spans together stay within the bound. */
  static spanFilter(capacity: number, falseRefusalRate = NONCE_FALSE_REFUSAL_RATE): BloomFilter {
    return BloomFilter.sized(capacity, falseRefusalRate / LIVE_SPANS);
  }

  /**
   * `replayed` when the nonce may have been seen within the keep time (always, if it was),
   * else remembers it and says `fresh`. A nonce arriving at `a` is kept until its span
   * `[j·S, (j+1)·S)` ends plus the keep time: at least `keepMs`, at most `keepMs` + one span.
   */
  admit(nonce: string, nowMs: number): NonceAdmission {
    const current = Math.floor(nowMs / this.spanMs);
    this.forgetBefore(current - (LIVE_SPANS - 1));
    const hash = this.hash(nonce);
    for (const span of this.spans.values()) if (span.has(hash)) return 'replayed';
    this.spanAt(current).add(hash);
    return 'fresh';
  }

  private spanAt(index: number): BloomFilter {
    let span = this.spans.get(index);
    if (!span) this.spans.set(index, (span = NonceMemory.spanFilter(this.capacity, this.falseRefusalRate)));
    return span;
  }

  /** Drops the spans before `oldest`: allocated lazily, freed whole, so memory is at most three filters. */
  private forgetBefore(oldest: number): void {
    for (const index of this.spans.keys()) if (index < oldest) this.spans.delete(index);
  }

  private hash(nonce: string): HashPair {
    sodium.crypto_shorthash(this.hashBytes, Buffer.from(nonce, 'utf8'), this.key);
    // h2 odd: never 0, so an item's k positions are never all one bit.
    return { h1: this.hashBytes.readUInt32LE(0), h2: (this.hashBytes.readUInt32LE(4) | 1) >>> 0 };
  }
}
