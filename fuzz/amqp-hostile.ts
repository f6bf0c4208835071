/**
 * Seeded hostile AMQP 1.0 units, sent after a valid open/begin/attach prefix on channel 0 (the
 * attacker's sender link is handle 0): frames of hostile sizes (0..7, past the limit, huge, the
 * bytes `AMQP` where a frame size should stand), random performatives and values, transfers
 * (valid, not messages, split over frames past the message limit, past the credit), performatives
 * out of order. Each unit is the bytes of one attack; the same seed gives the same units.
 */
import { seededRandom, type Random } from '../internal.ts';
import { bin, bool, dataMessage, described, frame, list, map, nul, performative, PERFORMATIVE, SECTION, str, sym, ubyte, uint, ulong, ushort, type Encoded } from './amqp-codec.ts';
import { pickOne, randomBytes, type Frame } from './frames.ts';
import { flipBits } from './mutations.ts';

export interface AmqpLimits {
  maxFrameBytes: number;
  maxMessageBytes: number;
  credit: number;
}

/** Units after which the byte stream may be out of step: the attacker streams on until cut (or a cap), then starts afresh. */
export const DESYNC_KINDS: ReadonlySet<string> = new Set(['hostile-size', 'amqp-at-boundary', 'bit-flip']);

type Kind = 'transfer' | 'random-performative' | 'random-body' | 'hostile-size' | 'amqp-at-boundary' | 'bit-flip' | 'oversized-transfer' | 'credit-abuse' | 'out-of-order' | 'not-a-message';
const KINDS: readonly [Kind, number][] = [
  ['transfer', 14],
  ['random-performative', 16],
  ['random-body', 8],
  ['hostile-size', 8],
  ['amqp-at-boundary', 3],
  ['bit-flip', 6],
  ['oversized-transfer', 3],
  ['credit-abuse', 3],
  ['out-of-order', 14],
  ['not-a-message', 12],
];
const TOTAL = KINDS.reduce((sum, [, weight]) => sum + weight, 0);

export function* generateAmqpUnits(limits: AmqpLimits, seed: number, count: number): Generator<Frame> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    let pick = random.int(TOTAL);
    const kind = KINDS.find(([, weight]) => (pick -= weight) < 0)![0];
    yield { kind, bytes: draw(kind, limits, random) };
  }
}

function draw(kind: Kind, limits: AmqpLimits, random: Random): Uint8Array {
  switch (kind) {
    case 'transfer':
      return transfer(random, dataMessage(randomBytes(random, random.int(512))));
    case 'random-performative':
      return performative(0, pickOne(random, [...Object.values(PERFORMATIVE), random.int(256)]), Array.from({ length: random.int(12) }, () => value(random, 2)));
    case 'random-body':
      return frame(random.next() < 0.8 ? 0 : random.int(65_536), randomBytes(random, random.int(256)), random.next() < 0.9 ? 0 : random.int(256));
    case 'hostile-size':
      return hostileSize(limits, random);
    case 'amqp-at-boundary':
      // A protocol header where the next frame should begin: a frame guard that skips it lets a huge frame through.
      return Buffer.concat([Uint8Array.of(0x41, 0x4d, 0x51, 0x50, 0, 1, 0, 0), randomBytes(random, 64)]);
    case 'bit-flip':
      return flipBits(transfer(random, dataMessage(randomBytes(random, 64))), random);
    case 'oversized-transfer':
      return oversizedTransfer(limits, random);
    case 'credit-abuse':
      return Buffer.concat(Array.from({ length: limits.credit * 3 }, () => transfer(random, dataMessage(randomBytes(random, 8)))));
    case 'out-of-order':
      return pickOne(random, OUT_OF_ORDER)(random);
    default:
      return transfer(random, pickOne(random, NOT_A_MESSAGE)(random));
  }
}

function transfer(random: Random, payload: Uint8Array, more = false, deliveryId = random.int(1_000_000)): Uint8Array {
  return performative(0, PERFORMATIVE.transfer, [uint(0), uint(deliveryId), bin(randomBytes(random, 8)), uint(0), bool(false), bool(more)], payload);
}

/** Sizes a frame header may announce that no valid frame has, each followed by a little body. */
function hostileSize(limits: AmqpLimits, random: Random): Uint8Array {
  const size = pickOne(random, [0, 1, 2, 3, 4, 5, 6, 7, limits.maxFrameBytes + 1, 0x7fffffff, 0xffffffff, 2 ** 31 + random.int(2 ** 30)]);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(size, 0);
  head[4] = 2;
  return Buffer.concat([head, randomBytes(random, 32)]);
}

/** A delivery split over frames of the largest allowed size, up to twice the message limit and more, then its last frame. */
function oversizedTransfer(limits: AmqpLimits, random: Random): Uint8Array {
  const total = limits.maxMessageBytes * 2 + random.int(limits.maxMessageBytes);
  const piece = limits.maxFrameBytes - 64;
  const deliveryId = random.int(1_000_000);
  const frames: Uint8Array[] = [];
  for (let sent = 0; sent < total; sent += piece) frames.push(transfer(random, Buffer.alloc(Math.min(piece, total - sent), 0x61), sent + piece < total, deliveryId));
  return Buffer.concat(frames);
}

/** Random AMQP values, nested up to `depth`. */
function value(random: Random, depth: number): Encoded {
  const leaves: (() => Encoded)[] = [nul, () => bool(random.next() < 0.5), () => ubyte(random.int(256)), () => ushort(random.int(65_536)), () => uint(random.int(2 ** 32)), () => ulong(BigInt(random.int(2 ** 32)) << 20n), () => str('x'.repeat(random.int(300))), () => sym(`amqp:${random.int(99)}`), () => bin(randomBytes(random, random.int(64)))];
  if (depth > 0 && random.next() < 0.2) return random.next() < 0.5 ? list(Array.from({ length: random.int(5) }, () => value(random, depth - 1))) : described(random.int(256), value(random, depth - 1));
  return pickOne(random, leaves)();
}

/** Performatives a well-behaved client never sends at this point. */
const OUT_OF_ORDER: readonly ((random: Random) => Uint8Array)[] = [
  () => performative(0, PERFORMATIVE.open, [str('again')]),
  () => performative(0, PERFORMATIVE.begin, [nul(), uint(0), uint(2_048), uint(2_048)]),
  (random) => performative(random.int(65_536), PERFORMATIVE.begin, [ushort(7), uint(0), uint(1), uint(1)]),
  () => performative(0, PERFORMATIVE.attach, [str('sender'), uint(0), bool(false), nul(), nul(), described(SECTION.source, list([])), described(SECTION.target, list([str('inbox.fuzz')])), nul(), nul(), uint(0)]),
  (random) => performative(0, PERFORMATIVE.attach, [str(`other-${random.int(100)}`), uint(random.int(2 ** 32)), bool(random.next() < 0.5), nul(), nul(), described(SECTION.source, list([str('$control')])), described(SECTION.target, list([str(pickOne(random, ['$control', 'inbox.', '../x', 'inbox.' + 'x'.repeat(300)]))])), nul(), nul(), uint(0)]),
  (random) => performative(0, PERFORMATIVE.detach, [uint(random.int(4)), bool(true)]),
  (random) => performative(0, PERFORMATIVE.transfer, [uint(77 + random.int(1_000)), uint(0), bin(Uint8Array.of(1))], dataMessage(Uint8Array.of(1))),
  (random) => performative(0, PERFORMATIVE.disposition, [bool(true), uint(random.int(2 ** 32)), uint(random.int(2 ** 32)), bool(true)]),
  (random) => performative(0, PERFORMATIVE.flow, [uint(0), uint(2 ** 32 - 1), uint(0), uint(2 ** 32 - 1), uint(0), uint(random.int(2 ** 32)), uint(2 ** 32 - 1), uint(0), bool(true), bool(true)]),
  () => performative(0, PERFORMATIVE.flow, []),
  () => performative(0, PERFORMATIVE.end, []),
  () => performative(0, PERFORMATIVE.close, [described(0x1d, list([sym('amqp:internal-error'), str('from the attacker')]))]),
  () => frame(0, new Uint8Array(0)),
];

/** Transfer payloads that are not one data section of bytes. */
const NOT_A_MESSAGE: readonly ((random: Random) => Uint8Array)[] = [
  (random) => randomBytes(random, 1 + random.int(64)),
  () => described(SECTION.amqpValue, str('a string body')),
  () => described(SECTION.amqpValue, map([[str('k'), str('v')]])),
  () => described(SECTION.amqpSequence, list([uint(1)])),
  (random) => Buffer.concat([described(SECTION.applicationProperties, map([[str('nested'), list([uint(1)])]])), dataMessage(randomBytes(random, 8))]),
  (random) => Buffer.concat([described(SECTION.properties, list([ulong(7n)])), dataMessage(randomBytes(random, 8))]),
  (random) => Buffer.concat([described(SECTION.applicationProperties, map([[str('__proto__'), str('x')], [uint(1), str('y')]])), dataMessage(randomBytes(random, 8))]),
  () => described(SECTION.data, str('not binary')),
  () => Buffer.concat([dataMessage(Uint8Array.of(1)), dataMessage(Uint8Array.of(2))]),
  (random) => Uint8Array.of(0x00, 0x53, SECTION.data, 0xb0, 0xff, 0xff, 0xff, 0xf0, ...randomBytes(random, 16)),
];
