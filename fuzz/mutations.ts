/** Byte-level mutations every generator shares (msgpack, AMQP, DNS and HTTP frames). */
import type { Random } from '../internal.ts';
import { pickOne } from './frames.ts';

/** Up to 8 bits flipped or bytes replaced, in a copy. */
export function flipBits(bytes: Uint8Array, random: Random): Uint8Array {
  const copy = Uint8Array.from(bytes);
  if (copy.length === 0) return copy;
  const flips = 1 + random.int(8);
  for (let i = 0; i < flips; i++) {
    const at = random.int(copy.length);
    copy[at] = random.next() < 0.5 ? copy[at]! ^ (1 << random.int(8)) : random.int(256);
  }
  return copy;
}

/** Sequences no UTF-8 decoder accepts: lone continuation bytes, overlongs, surrogates, truncated sequences. */
const INVALID_UTF8: readonly number[][] = [[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xff, 0xfe], [0xf4, 0x90, 0x80, 0x80]];

export function invalidUtf8(random: Random): Uint8Array {
  const parts = Array.from({ length: 1 + random.int(6) }, () => [...Buffer.from(`x${random.int(100)}`), ...pickOne(random, INVALID_UTF8)]);
  return Uint8Array.from(parts.flat());
}
