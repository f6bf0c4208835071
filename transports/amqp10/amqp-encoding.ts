/**
 * The AMQP 1.0 type encodings (§1.6) and message section descriptors (§3.2) that the hop's one
 * message shape uses: what its encoder writes and its decoder reads, named once.
 */

/** A described type starts with 0x00, then its descriptor; the sections use a smallulong descriptor. */
export const DESCRIBED = 0x00;
export const SMALL_ULONG = 0x53;

/** §3.2: the sections of a bare message, by descriptor code. */
export const SECTION = {
  header: 0x70,
  deliveryAnnotations: 0x71,
  messageAnnotations: 0x72,
  properties: 0x73,
  applicationProperties: 0x74,
  data: 0x75,
  amqpSequence: 0x76,
  amqpValue: 0x77,
  footer: 0x78,
} as const;

/** §1.6: the constructors the shape's values use (the one-byte and four-byte-size forms of each). */
export const TYPE = {
  null: 0x40,
  true: 0x41,
  false: 0x42,
  boolean: 0x56,
  ubyte: 0x50,
  uint0: 0x43,
  smalluint: 0x52,
  uint: 0x70,
  ulong0: 0x44,
  smallulong: 0x53,
  smallint: 0x54,
  int: 0x71,
  smalllong: 0x55,
  double: 0x82,
  vbin8: 0xa0,
  vbin32: 0xb0,
  str8: 0xa1,
  str32: 0xb1,
  list0: 0x45,
  list8: 0xc0,
  list32: 0xd0,
  map8: 0xc1,
  map32: 0xd1,
} as const;

/** The largest size (and count) a one-byte-size constructor (str8, vbin8, list8, map8) holds. */
export const MAX_SHORT = 0xff;
export const MIN_INT32 = -0x8000_0000;
export const MAX_INT32 = 0x7fff_ffff;

/** Bytes a binary of `byteLength` takes encoded: vbin8 up to 255 bytes, vbin32 beyond. */
export function binarySize(byteLength: number): number {
  return (byteLength <= MAX_SHORT ? 2 : 5) + byteLength;
}

/** Writes `bytes` as an AMQP binary at `at`; returns where the next value goes. */
export function writeBinary(out: Buffer, at: number, bytes: Uint8Array): number {
  if (bytes.byteLength <= MAX_SHORT) {
    out[at] = TYPE.vbin8;
    out[at + 1] = bytes.byteLength;
    at += 2;
  } else {
    out[at] = TYPE.vbin32;
    out.writeUInt32BE(bytes.byteLength, at + 1);
    at += 5;
  }
  out.set(bytes, at);
  return at + bytes.byteLength;
}
