import { randomFillSync } from 'node:crypto';

/**
 * Non-secret randomness: ids, jitter, tie-breaking. (Keys and nonces come from libsodium.)
 * A seeded implementation makes a whole run reproducible from one number.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /**
   * An id unique within this system. The real port draws 96 bits from the CSPRNG per id, so
   * nobody who sees some ids (a peer on the broker) can predict the next: ids are dedupe keys.
   */
  id(): string;
}

/** 12 bytes are 96 bits and exactly 16 base64url characters, with no padding to strip. */
const ID_BYTES = 12;
const ID_CHARS = 16;
/** Ids drawn per call into the CSPRNG: one fill and one encoding serve this many messages. */
const IDS_PER_BATCH = 1_024;

/**
 * Unpredictable ids, cheaply: the CSPRNG fills a pooled buffer for a batch of ids at once, the
 * batch is encoded once, and each id is a 16-character slice of it (V8 slices without copying).
 */
function secureIds(): () => string {
  const pool = Buffer.allocUnsafeSlow(ID_BYTES * IDS_PER_BATCH);
  let batch = '';
  let offset = 0;
  return () => {
    if (offset === batch.length) {
      batch = randomFillSync(pool).toString('base64url');
      offset = 0;
    }
    return batch.slice(offset, (offset += ID_CHARS));
  };
}

const LOW_DIGITS = Array.from({ length: 36 * 36 }, (_, i) => i.toString(36).padStart(2, '0'));

/**
 * Ids from a seeded stream: a tag drawn from the stream plus a counter. Predictable from the seed
 * by design: the simulation replays a run from it, and nothing outside the simulation sees them.
 */
function countedIds(int: (maxExclusive: number) => number): () => string {
  const tag = Array.from({ length: 4 }, () => int(0x10000).toString(16).padStart(4, '0')).join('');
  // tag + (counter / 1296).toString(36) + the last two base-36 digits from a table: one concatenation
  // per id instead of a number-to-string conversion (ids are drawn for every message).
  let low = 0;
  let high = 0;
  let prefix = tag + '0';
  return () => {
    const result = prefix + LOW_DIGITS[low];
    if (++low === LOW_DIGITS.length) {
      low = 0;
      prefix = tag + (++high).toString(36);
    }
    return result;
  };
}

function integers(next: () => number): (maxExclusive: number) => number {
  return (maxExclusive) => Math.floor(next() * maxExclusive);
}

/** For production: `Math.random` for jitter, the CSPRNG for ids. */
export function realRandom(): Random {
  return { next: Math.random, int: integers(Math.random), id: secureIds() };
}

/** sfc32: small, fast and good enough for simulation; the same seed gives the same stream. */
export function seededRandom(seed: number): Random {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  const int = integers(next);
  return { next, int, id: countedIds(int) };
}
