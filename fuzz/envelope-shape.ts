/**
 * The envelope frame (lib/codec.ts: [version, id, to, from, type, body, correlationId, replyTo,
 * headers, attempt]) as the generators see it: valid messages to the fuzz topology's actors,
 * and the hostile values each field invites.
 */
import type { Random } from '../internal.ts';
import type { FrameShape } from './frames.ts';
import { pickOne, WRONG_TYPES } from './frames.ts';
import { CONTROL, MACHINE, NODE, PLAIN } from './topology.ts';

const FIELDS = ['version', 'id', 'to', 'from', 'type', 'body', 'correlationId', 'replyTo', 'headers', 'attempt'] as const;

interface ValidMessage {
  to: string;
  type: string;
  body: (random: Random) => unknown;
  asked: boolean;
}

/** Messages the topology accepts, so mutations start from frames that would be delivered. */
const VALID: readonly ValidMessage[] = [
  { to: PLAIN, type: 'note', body: (random) => ({ text: `note ${random.int(1_000)}` }), asked: false },
  { to: PLAIN, type: 'sum', body: (random) => ({ values: [random.int(10), random.next()] }), asked: true },
  { to: PLAIN, type: 'keep', body: (random) => pickOne(random, WRONG_TYPES)(), asked: false },
  { to: MACHINE, type: 'coin', body: (random) => ({ cents: random.int(100) }), asked: false },
  { to: MACHINE, type: 'push', body: () => ({}), asked: false },
  { to: MACHINE, type: 'state', body: () => ({}), asked: true },
  { to: CONTROL, type: 'status', body: () => ({ address: PLAIN }), asked: true },
];

export interface EnvelopeShapeOptions {
  /** The receiving system's own reply address: a valid `replyTo`. */
  replyAddress: string;
  maxFrameBytes: number;
}

export function envelopeShape({ replyAddress, maxFrameBytes }: EnvelopeShapeOptions): FrameShape {
  let serial = 0;
  return {
    fields: FIELDS,
    maxFrameBytes,
    build(random, overrides = {}) {
      const message = pickOne(random, VALID);
      const id = `fuzz-${++serial}-${random.int(1 << 30)}`;
      const envelope: Record<string, unknown> = {
        version: 1,
        id,
        to: message.to,
        from: random.next() < 0.5 ? null : 'outside/peer',
        type: message.type,
        body: message.body(random),
        correlationId: message.asked ? id : null,
        replyTo: message.asked ? replyAddress : null,
        headers: random.next() < 0.7 ? null : { 'x-peer': 'fuzz', encrypted: false },
        attempt: 0,
        ...overrides,
      };
      return FIELDS.map((field) => envelope[field]);
    },
    hostile: (field, random) => hostileValues(field, random, replyAddress),
  };
}

/** Per field, the values an attacker would try first. */
function hostileValues(field: string, random: Random, replyAddress: string): unknown[] {
  const junk = `junk-${random.int(1_000_000)}`;
  switch (field) {
    case 'replyTo':
      return [PLAIN, MACHINE, CONTROL, NODE, 'r'.repeat(300), `$replies/${junk}`, `$replies/${'x'.repeat(300)}`, `${replyAddress}/../x`, junk];
    case 'to':
      return [CONTROL, replyAddress, `$replies/${junk}`, NODE, `${PLAIN}/child`, '$dead-letters', 't'.repeat(300), `${NODE}/$${junk}`];
    case 'from':
      return [CONTROL, replyAddress, 'f'.repeat(1_024), '$replies/x'];
    case 'type':
      return ['$reply', '$error', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'coin', 'note', 'status', 'restart', 'stop'];
    case 'id':
    case 'correlationId':
      return ['fuzz-duplicate', 'i'.repeat(1_024), 'i'.repeat(1_025), '\u0000'];
    case 'headers':
      return [
        Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`h${i}`, i])),
        JSON.parse('{"__proto__": "polluted", "constructor": 1}'),
        { '': 1 },
        { big: 'h'.repeat(100_000) },
        { nested: { deep: true } },
        { list: [1, 2] },
        { nothing: null },
        { 'x-airlock-reason': 'FORGED', 'x-airlock-envelope-id': 'fuzz-duplicate' },
      ];
    case 'attempt':
      return [1, 2, 3, 1e9, 2 ** 53, -1, 1.5];
    case 'version':
      return [0, 2, '1', 255];
    default:
      return [];
  }
}
