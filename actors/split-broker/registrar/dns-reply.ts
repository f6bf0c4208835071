// The DNS registrar's replies, byte for byte (RFC 1035 §4.1, RFC 6891 §6–7): the id, opcode, RD
// and question of the query copied as received, a TXT answer or an RCODE, an OPT record when the
// query had one, and truncation (TC, answers dropped) when the reply exceeds what the query's
// transport can carry.

import { DNS_CLASSIC_UDP_BYTES, DNS_MAX_TCP_BYTES, DNS_MAX_UDP_BYTES } from '../limits.ts';
import { CLASS_IN, TYPE_TXT, type DnsQuery } from './dns-query.ts';

export type DnsReplyRcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NOTIMP' | 'REFUSED' | 'BADVERS';

/** RFC 6895 §2.3: the 12-bit RCODE, its low 4 bits in the header and the high 8 in the OPT record. */
const RCODES: Record<DnsReplyRcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NOTIMP: 4, REFUSED: 5, BADVERS: 16 };
const QR = 0x80;
const AA = 0x04;
const TC = 0x02;
const HEADER_BYTES = 12;
/** A pointer to the question's name, which always starts right after the header. */
const NAME_POINTER = Uint8Array.of(0xc0, HEADER_BYTES);
const TYPE_OPT = 41;

/** What the registrar answers a query with: TXT text, or an RCODE. */
export type DnsOutcome = { text: string } | { rcode: Exclude<DnsReplyRcode, 'NOERROR'> };

/**
 * The most a reply to `query` may hold: 65,535 bytes over TCP; over UDP 512 bytes without EDNS,
 * else the query's buffer size, at least 512 (RFC 6891 §6.2.5) and at most `maxUdp`.
 */
export function replyLimit(query: DnsQuery, transport: 'udp' | 'tcp', maxUdp = DNS_MAX_UDP_BYTES): number {
  if (transport === 'tcp') return DNS_MAX_TCP_BYTES;
  if (!query.edns) return DNS_CLASSIC_UDP_BYTES;
  return Math.min(Math.max(query.edns.udpSize, DNS_CLASSIC_UDP_BYTES), maxUdp);
}

/**
 * The reply to `query`, at most `limit` bytes: when the answer does not fit, the reply without
 * it, TC set (RFC 1035 §4.2.1), still carrying its OPT record (RFC 6891 §7), so the resolver asks
 * again over TCP. `advertisedUdp` is the buffer size the reply's own OPT record states.
 */
export function encodeDnsReply(query: DnsQuery, outcome: DnsOutcome, limit: number, advertisedUdp = DNS_MAX_UDP_BYTES): Uint8Array {
  const rcode = RCODES['rcode' in outcome ? outcome.rcode : 'NOERROR'];
  const question = query.question?.bytes ?? new Uint8Array(0);
  const opt = query.edns ? optRecord(rcode >> 4, advertisedUdp) : new Uint8Array(0);
  const whole = (answers: Uint8Array | undefined, truncated: boolean) =>
    Buffer.concat([header(query, rcode, { answers: answers ? 1 : 0, truncated, hasQuestion: question.length > 0, hasOpt: opt.length > 0 }), question, answers ?? new Uint8Array(0), opt]);
  if (!('text' in outcome) || !query.question) return whole(undefined, false);
  const answer = txtRecord(outcome.text);
  const full = answer && whole(answer, false);
  return full && full.length <= limit ? full : whole(undefined, true);
}

interface Sections {
  answers: number;
  truncated: boolean;
  hasQuestion: boolean;
  hasOpt: boolean;
}

function header(query: DnsQuery, rcode: number, sections: Sections): Uint8Array {
  const bytes = Buffer.alloc(HEADER_BYTES);
  bytes.writeUInt16BE(query.id, 0);
  // Authoritative only for what the registrar answers from its zone; refusals speak for no zone.
  const authoritative = rcode === 0 ? AA : 0;
  bytes[2] = QR | (query.opcode << 3) | authoritative | (sections.truncated ? TC : 0) | (query.recursionDesired ? 1 : 0);
  bytes[3] = rcode & 0x0f;
  bytes.writeUInt16BE(sections.hasQuestion ? 1 : 0, 4);
  bytes.writeUInt16BE(sections.answers, 6);
  bytes.writeUInt16BE(sections.hasOpt ? 1 : 0, 10);
  return bytes;
}

/** The answer: the question's name (by pointer), IN TXT, TTL 0, `text` in strings of ≤ 255 bytes; undefined past a record's 65,535 data bytes. */
function txtRecord(text: string): Uint8Array | undefined {
  const data = Buffer.concat(characterStrings(Buffer.from(text, 'utf8')));
  if (data.length > 0xffff) return undefined;
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TYPE_TXT, 0);
  fixed.writeUInt16BE(CLASS_IN, 2);
  fixed.writeUInt32BE(0, 4);
  fixed.writeUInt16BE(data.length, 8);
  return Buffer.concat([NAME_POINTER, fixed, data]);
}

/** RFC 1035 §3.3.14: TXT data is character-strings, each a length byte and at most 255 bytes. */
function characterStrings(bytes: Buffer): Buffer[] {
  const strings: Buffer[] = [];
  for (let at = 0; at < bytes.length || strings.length === 0; at += 255) {
    const piece = bytes.subarray(at, at + 255);
    strings.push(Buffer.concat([Uint8Array.of(piece.length), piece]));
  }
  return strings;
}

/** OPT (RFC 6891 §6.1.2): root owner, our UDP buffer size as class, extended RCODE, version 0, no options. */
function optRecord(extendedRcode: number, udpSize: number): Uint8Array {
  const bytes = Buffer.alloc(11);
  bytes.writeUInt16BE(TYPE_OPT, 1);
  bytes.writeUInt16BE(udpSize, 3);
  bytes[5] = extendedRcode;
  return bytes;
}
