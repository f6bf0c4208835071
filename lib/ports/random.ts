/**
 * Non-secret randomness: ids, jitter, tie-breaking. (Keys and nonces come from libsodium.)
 * A seeded implementation makes a whole run reproducible from one number.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** An id unique within this system: a random tag plus a counter. */
  id(): string;
}

const LOW_DIGITS = Array.from({ length: 36 * 36 }, (_, i) => i.toString(36).padStart(2, '0'));

function withIds(next: () => number): Random {
  const int = (maxExclusive: number) => Math.floor(next() * maxExclusive);
  const tag = Array.from({ length: 4 }, () => int(0x10000).toString(16).padStart(4, '0')).join('');
  // tag + (counter / 1296).toString(36) + the last two base-36 digits from a table: one concatenation
  // per id instead of a number-to-string conversion (ids are drawn for every message).
  let low = 0;
  let high = 0;
  let prefix = tag + '0';
  const id = () => {
    const result = prefix + LOW_DIGITS[low];
    if (++low === LOW_DIGITS.length) {
      low = 0;
      prefix = tag + (++high).toString(36);
    }
    return result;
  };
  return { next, int, id };
}

/** `Math.random`, for production. */
export function realRandom(): Random {
  return withIds(Math.random);
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
  return withIds(next);
}
