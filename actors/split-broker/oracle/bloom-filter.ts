/** Two independent 32-bit hashes of one item; the filter derives its k positions from them. */
export interface HashPair {
  readonly h1: number;
  readonly h2: number;
}

/**
 * A Bloom filter of fixed size: `has` is never false for an item that was added (no false
 * negatives), and true for an item never added with a probability that grows with the items
 * added: about `(1 - e^(-k·n/m))^k` after n items in m bits with k hashes. Positions come from
 * two hashes by double hashing (Kirsch and Mitzenmacher), so one keyed hash per item suffices.
 */
export class BloomFilter {
  private readonly words: Uint32Array;
  private added = 0;

  constructor(
    /** m: a multiple of 32. */
    readonly bits: number,
    /** k: positions set per item. */
    readonly hashes: number,
  ) {
    this.words = new Uint32Array(bits / 32);
  }

  /** The smallest filter that holds `capacity` items with a false-positive rate of at most `rate`. */
  static sized(capacity: number, rate: number): BloomFilter {
    const bitsPerItem = Math.log(1 / rate) / Math.LN2 ** 2;
    const bits = Math.ceil((capacity * bitsPerItem) / 32) * 32;
    return new BloomFilter(bits, Math.max(1, Math.round((bits / capacity) * Math.LN2)));
  }

  /** Items added so far (each `add` counts, whether or not it was already there). */
  get size(): number {
    return this.added;
  }

  /** The expected false-positive rate after `items` distinct items: how the filter degrades past its capacity. */
  falsePositiveRate(items = this.added): number {
    return (1 - Math.exp((-this.hashes * items) / this.bits)) ** this.hashes;
  }

  add(hash: HashPair): void {
    for (let i = 0; i < this.hashes; i++) {
      const bit = this.position(hash, i);
      this.words[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.added++;
  }

  has(hash: HashPair): boolean {
    for (let i = 0; i < this.hashes; i++) {
      const bit = this.position(hash, i);
      if ((this.words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  // h1 + i·h2 stays below 2^53 for any sensible k: exact in a double, so `%` is exact too.
  private position(hash: HashPair, i: number): number {
    return (hash.h1 + i * hash.h2) % this.bits;
  }
}
