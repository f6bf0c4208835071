/**
 * Seeded frame generators: random bytes, truncations and bit flips of valid frames, and
 * structurally hostile frames built with msgpackr directly (wrong field types, huge declared
 * lengths, deep nesting, every ext type, hostile addresses and headers). The same seed gives
 * the same frames, so any finding replays from `--seed S --frames N`.
 */
import { Packr } from 'msgpackr';
import { seededRandom, type Random } from '../internal.ts';

export type FrameKind =
  | 'valid'
  | 'random-bytes'
  | 'truncated'
  | 'bit-flip'
  | 'wrong-type'
  | 'hostile-field'
  | 'huge-length'
  | 'deep-nesting'
  | 'ext'
  | 'exotic-value'
  | 'not-a-frame'
  | 'oversized';

/** One input to a target: msgpack frames here; AMQP, DNS and HTTP targets draw their own kinds. */
export interface Frame {
  readonly kind: string;
  readonly bytes: Uint8Array;
}

/**
 * What a decoder expects, as a value msgpack can carry: the generators mutate its fields.
 * `build` returns a valid value with `overrides` applied (by field name); `hostile` returns
 * values of a field chosen to abuse the receiver's trust (addresses, headers, ids).
 */
export interface FrameShape {
  readonly fields: readonly string[];
  readonly maxFrameBytes: number;
  build(random: Random, overrides?: Readonly<Record<string, unknown>>): unknown;
  hostile(field: string, random: Random): unknown[];
}

/** Plain msgpack, as the project's codecs write it. */
const plainPackr = new Packr({ useRecords: false, structuredClone: false, moreTypes: false, mapsAsObjects: true, int64AsType: 'number' });
/** msgpackr's full feature set: what a hostile peer with msgpackr at hand can send. */
const richPackr = new Packr({ moreTypes: true, structuredClone: true, useRecords: true });

export function pack(value: unknown): Uint8Array {
  return plainPackr.pack(value);
}

/** A target's `frames`, for a decoder of msgpack frames shaped like `shape`. */
export function framesOf(shape: FrameShape): (seed: number, count: number) => Iterable<Frame> {
  return (seed, count) => generateFrames(shape, seed, count);
}

/** Draws frames of every kind for `shape`; frame i depends only on the seed. */
export function* generateFrames(shape: FrameShape, seed: number, count: number): Generator<Frame> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) yield drawFrame(shape, random, i);
}

type DrawnKind = Exclude<FrameKind, 'oversized'>;
const KINDS: readonly [DrawnKind, number][] = [
  ['valid', 6],
  ['random-bytes', 9],
  ['truncated', 9],
  ['bit-flip', 14],
  ['wrong-type', 14],
  ['hostile-field', 16],
  ['huge-length', 7],
  ['deep-nesting', 5],
  ['ext', 10],
  ['exotic-value', 5],
  ['not-a-frame', 5],
];
const TOTAL_WEIGHT = KINDS.reduce((sum, [, weight]) => sum + weight, 0);

function drawFrame(shape: FrameShape, random: Random, index: number): Frame {
  // A rare frame just past the size limit: refused before decoding, whatever it holds.
  if (index % 5_000 === 4_999) return { kind: 'oversized', bytes: randomBytes(random, shape.maxFrameBytes + 1) };
  let pick = random.int(TOTAL_WEIGHT);
  for (const [kind, weight] of KINDS) {
    if ((pick -= weight) < 0) return { kind, bytes: GENERATORS[kind](shape, random) };
  }
  throw new Error('unreachable: weights cover every pick');
}

const GENERATORS: Record<DrawnKind, (shape: FrameShape, random: Random) => Uint8Array> = {
  valid: (shape, random) => pack(shape.build(random)),
  'random-bytes': (_, random) => randomBytes(random, random.next() < 0.9 ? random.int(64) : random.int(4_096)),
  truncated: (shape, random) => {
    const bytes = pack(shape.build(random));
    return bytes.subarray(0, random.int(bytes.byteLength));
  },
  'bit-flip': (shape, random) => flipBits(pack(shape.build(random)), random),
  'wrong-type': (shape, random) => pack(shape.build(random, { [pickOne(random, shape.fields)]: pickOne(random, WRONG_TYPES)() })),
  'hostile-field': (shape, random) => {
    const field = pickOne(random, shape.fields);
    const values = shape.hostile(field, random);
    return pack(shape.build(random, { [field]: values.length > 0 ? pickOne(random, values) : pickOne(random, WRONG_TYPES)() }));
  },
  'huge-length': (shape, random) => spliced(shape, random, pickOne(random, HUGE_LENGTHS)),
  'deep-nesting': (shape, random) => spliced(shape, random, deepNesting(random)),
  ext: (shape, random) => spliced(shape, random, extBytes(random)),
  'exotic-value': (shape, random) => spliced(shape, random, richPackr.pack(pickOne(random, EXOTIC_VALUES)())),
  'not-a-frame': (shape, random) => {
    const value = pickOne(random, WRONG_TYPES)();
    return random.next() < 0.5 ? pack(value) : pack([...(asArray(shape.build(random)) ?? []), value].slice(random.int(3)));
  },
};

// ---- hostile values ----------------------------------------------------------------------

/** Values of every msgpack type, wrong for almost any field. Thunks, so each frame gets fresh ones. */
export const WRONG_TYPES: readonly (() => unknown)[] = [
  () => null,
  () => true,
  () => 0,
  () => -1,
  () => 1.5,
  () => -0,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => 2 ** 53 + 2,
  () => -(2 ** 63),
  () => '',
  () => 'x'.repeat(2_000),
  () => '\u0000\uffff\ud800',
  () => [],
  () => [[[]]],
  () => ({}),
  () => ({ type: 'add', body: {} }),
  () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
  () => Buffer.from([0xc1, 0xff, 0x00]),
  () => Array.from({ length: 300 }, (_, i) => i),
];

/** msgpack headers that declare far more than follows (str, bin, array, map, ext; 8/16/32 bits). */
const HUGE_LENGTHS: readonly Uint8Array[] = [
  [0xd9, 0xff, 0x61],
  [0xda, 0xff, 0xff, 0x61],
  [0xdb, 0xff, 0xff, 0xff, 0xf0, 0x61, 0x62],
  [0xc4, 0xff, 0x00],
  [0xc5, 0xff, 0xff, 0x00],
  [0xc6, 0x7f, 0xff, 0xff, 0xff, 0x00],
  [0xdc, 0xff, 0xff, 0xc0],
  [0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0],
  [0xde, 0xff, 0xff, 0xa1, 0x61, 0xc0],
  [0xdf, 0x7f, 0xff, 0xff, 0xff, 0xa1, 0x61, 0xc0],
  [0xc7, 0xff, 0x01, 0x00],
  [0xc9, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00],
].map((bytes) => Uint8Array.from(bytes));

/** What msgpackr's extensions carry: each decodes to a class instance unless the decoder refuses. */
const EXOTIC_VALUES: readonly (() => unknown)[] = [
  () => new Date(0),
  () => new Set([1, 2]),
  () => new Map([['a', 1]]),
  () => /fuzz/g,
  () => new Error('from a peer'),
  () => 2n ** 70n,
  () => new Float64Array([1.5]),
  () => new Uint32Array([1, 2]),
  () => new Int8Array([-1]),
  () => ({ nested: [new Date(1), new Set(['x'])] }),
];

/** `depth` arrays (or maps) of one element each, around nil. */
function deepNesting(random: Random): Uint8Array {
  const depth = pickOne(random, [64, 512, 5_000, 100_000]);
  const map = random.next() < 0.5;
  const open = map ? [0x81, 0xa1, 0x61] : [0x91];
  const bytes = new Uint8Array(depth * open.length + 1);
  for (let i = 0; i < depth; i++) bytes.set(open, i * open.length);
  bytes[bytes.length - 1] = 0xc0;
  return bytes;
}

/** An ext of any type code (-128..127, msgpack's timestamp -1 and msgpackr's own among them), any size class. */
function extBytes(random: Random): Uint8Array {
  const type = random.int(256);
  const size = pickOne(random, [1, 2, 4, 8, 12, 16, 3, 40]);
  const data = randomBytes(random, size);
  const header = { 1: [0xd4], 2: [0xd5], 4: [0xd6], 8: [0xd7], 16: [0xd8] }[size] ?? [0xc7, size];
  return Uint8Array.from([...header, type, ...data]);
}

// ---- byte-level helpers ----------------------------------------------------------------

/** Marks the field whose encoding `spliced` replaces with raw bytes. */
const MARKER = '\u0001fuzz-splice-marker\u0001';
const MARKER_BYTES = pack(MARKER);

/** A valid frame whose value at one field is replaced by raw (possibly invalid) msgpack. */
function spliced(shape: FrameShape, random: Random, raw: Uint8Array): Uint8Array {
  const field = random.next() < 0.6 && shape.fields.includes('body') ? 'body' : pickOne(random, shape.fields);
  const bytes = pack(shape.build(random, { [field]: MARKER }));
  const at = indexOf(bytes, MARKER_BYTES);
  const result = new Uint8Array(bytes.byteLength - MARKER_BYTES.byteLength + raw.byteLength);
  result.set(bytes.subarray(0, at));
  result.set(raw, at);
  result.set(bytes.subarray(at + MARKER_BYTES.byteLength), at + raw.byteLength);
  return result;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const at = Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle);
  if (at < 0) throw new Error('splice marker not found in the packed frame');
  return at;
}

function flipBits(bytes: Uint8Array, random: Random): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const flips = 1 + random.int(8);
  for (let i = 0; i < flips; i++) {
    const at = random.int(copy.length);
    copy[at] = random.next() < 0.5 ? copy[at] ^ (1 << random.int(8)) : random.int(256);
  }
  return copy;
}

export function randomBytes(random: Random, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = random.int(256);
  return bytes;
}

export function pickOne<T>(random: Random, items: readonly T[]): T {
  return items[random.int(items.length)];
}

function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}
