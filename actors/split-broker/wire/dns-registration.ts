import dnsPacket from 'dns-packet';
import { RegistrationEncodingError } from './errors.ts';

// A sealed registration travels in the names of TXT queries, one chunk per query:
//
//   <data>.<seq>.<total>.<session>.<zone>
//
// <data> is the chunk in unpadded base32 (RFC 4648, lowercase, read case-insensitively because
// resolvers may randomise case), split into labels of at most 63 characters; <seq> counts from 0
// to <total> − 1 in decimal; <session> is 1–32 lowercase letters and digits the client draws at
// random; <zone> is the registrar's zone. Each query is answered with a TXT record: "ack <n>/<total>"
// while chunks are missing, the ClientPollResponse JSON (split into strings of ≤ 255 bytes) once
// the last chunk arrived and the broker answered. FORMERR refuses what does not parse, REFUSED
// what is outside the zone or over the registrar's bounds.

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** Bytes per query by default: 160 base32 characters, three labels. */
export const DEFAULT_CHUNK_BYTES = 100;
const MAX_NAME = 253;
const MAX_LABEL = 63;

export type DnsRcode = 'FORMERR' | 'REFUSED';

/** A query the DNS registrar refuses, with the RCODE it answers. */
export class DnsRegistrationError extends RegistrationEncodingError {
  constructor(readonly rcode: DnsRcode, reason: string) {
    super('dns', reason);
  }
}

export interface RegistrationChunk {
  session: string;
  seq: number;
  total: number;
  data: Uint8Array;
}

export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Uint8Array | undefined {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.toLowerCase()) {
    const digit = BASE32.indexOf(char);
    if (digit < 0) return undefined;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return bits >= 5 ? undefined : Uint8Array.from(out);
}

/** The query names that carry `sealed` to the registrar at `zone` (client side). */
export function registrationQueryNames(sealed: Uint8Array, zone: string, session: string, chunkBytes = DEFAULT_CHUNK_BYTES): string[] {
  if (!/^[a-z0-9]{1,32}$/.test(session)) throw new DnsRegistrationError('FORMERR', 'session must be 1-32 lowercase letters or digits');
  const total = Math.max(1, Math.ceil(sealed.length / chunkBytes));
  return Array.from({ length: total }, (_, seq) => {
    const data = base32Encode(sealed.subarray(seq * chunkBytes, (seq + 1) * chunkBytes));
    const labels = data.match(new RegExp(`.{1,${MAX_LABEL}}`, 'g')) ?? [];
    const name = [...labels, seq, total, session, zone].join('.');
    if (name.length > MAX_NAME) throw new DnsRegistrationError('FORMERR', `name of ${name.length} characters; use smaller chunks`);
    return name;
  });
}

/** Reads one query name (registrar side); REFUSED outside `zone`, FORMERR when malformed. */
export function parseRegistrationName(name: string, zone: string): RegistrationChunk {
  const lower = name.toLowerCase().replace(/\.$/, '');
  const suffix = `.${zone.toLowerCase()}`;
  if (!lower.endsWith(suffix)) throw new DnsRegistrationError('REFUSED', 'name outside the zone');
  const labels = lower.slice(0, -suffix.length).split('.');
  if (labels.length < 4) throw new DnsRegistrationError('FORMERR', 'expected <data>.<seq>.<total>.<session>');
  const [seqText, totalText, session] = labels.slice(-3) as [string, string, string];
  const seq = /^\d{1,6}$/.test(seqText) ? Number(seqText) : NaN;
  const total = /^\d{1,6}$/.test(totalText) ? Number(totalText) : NaN;
  if (!(seq >= 0 && total >= 1 && seq < total)) throw new DnsRegistrationError('FORMERR', 'bad sequence number or total');
  if (!/^[a-z0-9]{1,32}$/.test(session)) throw new DnsRegistrationError('FORMERR', 'bad session id');
  const data = base32Decode(labels.slice(0, -3).join(''));
  if (!data) throw new DnsRegistrationError('FORMERR', 'data is not base32');
  return { session, seq, total, data };
}

/** A TXT query for `name`, advertising a 4096-byte EDNS buffer so the answer fits in one datagram. */
export function encodeRegistrationQuery(name: string, id: number): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'TXT', name }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
}

/** The question of a query datagram; FORMERR for anything but one IN TXT question. */
export function decodeRegistrationQuery(datagram: Uint8Array): { id: number; name: string } {
  let packet: dnsPacket.Packet;
  try {
    packet = dnsPacket.decode(Buffer.from(datagram));
  } catch {
    throw new DnsRegistrationError('FORMERR', 'not a DNS message');
  }
  const question = packet.questions?.[0];
  if (packet.type !== 'query' || packet.questions?.length !== 1 || !question) throw new DnsRegistrationError('FORMERR', 'expected one question');
  if (question.type !== 'TXT' || question.class !== 'IN') throw new DnsRegistrationError('REFUSED', 'only IN TXT queries');
  return { id: packet.id ?? 0, name: question.name };
}

/** TXT character-strings hold at most 255 bytes: split `text` (UTF-8) into such strings. */
export function toTxtStrings(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const strings: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 255) strings.push(bytes.subarray(at, at + 255));
  return strings.length > 0 ? strings : [Buffer.alloc(0)];
}

/** A response to `query`: a TXT answer carrying `text`, or an RCODE refusal. */
export function encodeRegistrationResponse(query: { id: number; name: string }, outcome: { text: string } | { rcode: DnsRcode }): Buffer {
  const rcode = 'rcode' in outcome ? (outcome.rcode === 'FORMERR' ? 1 : 5) : 0;
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags: dnsPacket.AUTHORITATIVE_ANSWER | rcode,
    questions: [{ type: 'TXT', name: query.name }],
    answers: 'text' in outcome ? [{ type: 'TXT', name: query.name, ttl: 0, data: toTxtStrings(outcome.text) }] : [],
  });
}

/** The text of a response's TXT answer (client side), its strings joined. */
export function decodeRegistrationResponse(datagram: Uint8Array): { rcode: string; text: string | undefined } {
  const packet = dnsPacket.decode(Buffer.from(datagram)) as dnsPacket.DecodedPacket & { rcode?: string };
  const answer = packet.answers?.find((record) => record.type === 'TXT');
  const data = answer?.type === 'TXT' ? ([] as (string | Buffer)[]).concat(answer.data) : undefined;
  return { rcode: packet.rcode ?? 'NOERROR', text: data?.map((piece) => piece.toString()).join('') };
}
