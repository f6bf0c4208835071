/**
 * Seeded hostile DNS datagrams for the DNS registrar: registrations in chunks (several sessions
 * interleaved, chunks repeated, contradicted, past the chunk bound), their mutations and
 * truncations, bad labels (too long, empty, invalid UTF-8, not base32, outside the zone), odd
 * opcodes and counts, OPT records, other query types, random bytes and oversized datagrams.
 */
import { seededRandom, type Random } from '../internal.ts';
import { encodeRawQuery, optRecord, registrationLabels, type RawQuery } from './dns-wire.ts';
import { pickOne, randomBytes, type Frame } from './frames.ts';
import { flipBits, invalidUtf8 } from './mutations.ts';

/** Bytes per chunk, as the client library sends them (3 labels of base32). */
const CHUNK_BYTES = 100;
/** Sessions the attacker keeps going at once. */
const OPEN_SESSIONS = 8;
/** Chunks per registration: up to a few past the registrar's 64, so the bound is tried. */
const MAX_TOTAL = 70;

type Kind = 'chunk' | 'mutated' | 'truncated' | 'random-bytes' | 'bad-labels' | 'opcode' | 'opt' | 'qtype' | 'oversized';
const KINDS: readonly [Kind, number][] = [
  ['chunk', 35],
  ['mutated', 12],
  ['truncated', 7],
  ['random-bytes', 8],
  ['bad-labels', 14],
  ['opcode', 8],
  ['opt', 8],
  ['qtype', 5],
  ['oversized', 3],
];
const TOTAL = KINDS.reduce((sum, [, weight]) => sum + weight, 0);

interface Session {
  id: string;
  total: number;
  next: number;
}

export function* generateDnsQueries(zone: string, seed: number, count: number): Generator<Frame> {
  const random = seededRandom(seed);
  const sessions: Session[] = [];
  let serial = 0;
  const chunk = (): RawQuery => {
    if (sessions.length < OPEN_SESSIONS) sessions.push({ id: `s${seed}x${serial++}`, total: 1 + random.int(random.next() < 0.9 ? 8 : MAX_TOTAL), next: 0 });
    const session = pickOne(random, sessions);
    const seq = random.next() < 0.1 ? random.int(session.total) : session.next++;
    if (session.next >= session.total) sessions.splice(sessions.indexOf(session), 1);
    // A contradicting total now and then: the session must refuse it, not grow.
    const total = random.next() < 0.03 ? session.total + 1 : session.total;
    return query(random, registrationLabels(randomBytes(random, CHUNK_BYTES), Math.min(seq, total - 1), total, session.id, zone));
  };
  for (let i = 0; i < count; i++) {
    let pick = random.int(TOTAL);
    const kind = KINDS.find(([, weight]) => (pick -= weight) < 0)![0];
    yield { kind, bytes: draw(kind, random, chunk, zone) };
  }
}

function query(random: Random, labels: Uint8Array[], overrides: Partial<RawQuery> = {}): RawQuery {
  const edns = { count: 1, bytes: optRecord(4_096, 0, new Uint8Array(0)) };
  return { id: random.int(0x10000), flags: 0x0100, labels, additionals: random.next() < 0.8 ? edns : undefined, ...overrides };
}

function draw(kind: Kind, random: Random, chunk: () => RawQuery, zone: string): Uint8Array {
  switch (kind) {
    case 'chunk':
      return encodeRawQuery(chunk());
    case 'mutated':
      return flipBits(encodeRawQuery(chunk()), random);
    case 'truncated': {
      const bytes = encodeRawQuery(chunk());
      return bytes.subarray(0, random.int(bytes.byteLength));
    }
    case 'random-bytes':
      return randomBytes(random, random.int(random.next() < 0.9 ? 128 : 2_048));
    case 'bad-labels':
      return encodeRawQuery(query(random, badLabels(random, zone)));
    case 'opcode':
      return encodeRawQuery({ ...chunk(), flags: (random.int(16) << 11) | (random.next() < 0.3 ? 0x8000 : 0) | (random.next() < 0.2 ? 0x0200 : 0) | random.int(16), qdcount: pickOne(random, [0, 1, 1, 2, 65_535]) });
    case 'opt':
      return encodeRawQuery({ ...chunk(), additionals: hostileOpt(random) });
    case 'qtype':
      return encodeRawQuery({ ...chunk(), qtype: pickOne(random, [1, 28, 255, 0, 65_535]), qclass: pickOne(random, [1, 3, 255, 0]) });
    default:
      return encodeRawQuery({ ...chunk(), additionals: { count: 1, bytes: optRecord(4_096, 0, edsOptions(4_200 + random.int(60_000))) } });
  }
}

/** Names a registrar must refuse without tripping: each list entry is the labels of one name. */
function badLabels(random: Random, zone: string): Uint8Array[] {
  const zoneLabels = zone.split('.').map((label) => Buffer.from(label));
  const text = (...labels: string[]) => [...labels.map((label) => Buffer.from(label, 'latin1')), ...zoneLabels];
  const choices: (() => Uint8Array[])[] = [
    () => text('a'.repeat(64), '0', '1', 'abc'),
    () => text('', '0', '1', 'abc'),
    () => [invalidUtf8(random), Buffer.from('0'), Buffer.from('1'), Buffer.from('abc'), ...zoneLabels],
    () => text('a.b', '0', '1', 'abc'),
    () => text('!!!!', '0', '1', 'abc'),
    () => text('aa', 'x', 'y', 'abc'),
    () => text('aa', '5', '2', 'abc'),
    () => text('aa', '0', '9999999', 'abc'),
    () => text('aa', '0', '1', 'ABC-DEF'),
    () => text('aa', '0', '1', 's'.repeat(40)),
    () => Array.from({ length: 6 }, () => Buffer.from('a'.repeat(63))).concat(zoneLabels),
    () => [Buffer.from('aa'), Buffer.from('0'), Buffer.from('1'), Buffer.from('abc'), Buffer.from('elsewhere'), Buffer.from('test')],
    () => text('0', '1', 'abc'),
    () => text('__proto__', '0', '1', 'constructor'),
    () => [Buffer.from([0xc0, 0x0c])],
  ];
  return pickOne(random, choices)();
}

function hostileOpt(random: Random): { count: number; bytes: Uint8Array } {
  const options = pickOne(random, [new Uint8Array(0), edsOptions(8), Uint8Array.from([0, 10, 0xff, 0xff, 1, 2]), randomBytes(random, 1 + random.int(40))]);
  const record = optRecord(pickOne(random, [0, 1, 512, 65_535]), pickOne(random, [0, 1, 255]), options);
  const twice = random.next() < 0.3;
  return { count: pickOne(random, twice ? [2] : [1, 1, 0, 65_535]), bytes: twice ? Buffer.concat([record, record]) : record };
}

/** EDNS options of `bytes` bytes (an unknown option code holding zeros). */
function edsOptions(bytes: number): Uint8Array {
  const option = Buffer.alloc(4 + bytes);
  option.writeUInt16BE(65_001, 0);
  option.writeUInt16BE(bytes & 0xffff, 2);
  return option;
}
