// What the DNS registrar reads of a message (RFC 1035 §4.1, RFC 6891 §6), straight from its
// bytes: the header, the one question (dns-question.ts: kept as the bytes received, so a reply
// copies it exactly, or not at all) and the OPT record. Nothing here throws: what does not parse
// is a `problem` the reply names with its RCODE.

import { readQuestionSection, type DnsQuestion } from './dns-question.ts';

export type { DnsQuestion } from './dns-question.ts';

const HEADER_BYTES = 12;
const MAX_LABEL = 63;
const TYPE_OPT = 41;
export const TYPE_TXT = 16;
export const CLASS_IN = 1;
export const OPCODE_QUERY = 0;

/** EDNS(0) as the query's OPT record states it. */
export interface DnsEdns {
  readonly udpSize: number;
  readonly version: number;
}

export interface DnsQuery {
  readonly id: number;
  readonly opcode: number;
  /** RD, copied into the reply (RFC 1035 §4.1.1). */
  readonly recursionDesired: boolean;
  /** Absent unless the message holds exactly one question and it parses: the reply then has none (dns-question.ts). */
  readonly question?: DnsQuestion;
  /** Absent without an OPT record. */
  readonly edns?: DnsEdns;
  /** Why the message cannot be served: FORMERR (malformed), NOTIMP (an opcode other than QUERY), BADVERS (EDNS version > 0). */
  readonly problem?: { rcode: 'FORMERR' | 'NOTIMP' | 'BADVERS'; reason: string };
}

/**
 * Reads a message addressed to the registrar. Undefined when there is nothing to answer: fewer
 * bytes than a header (no id to answer with) or a response (QR set: answering those lets two
 * servers bounce datagrams at each other forever).
 */
export function parseDnsQuery(bytes: Uint8Array): DnsQuery | undefined {
  if (bytes.length < HEADER_BYTES || (bytes[2]! & 0x80) !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = { id: view.getUint16(0), opcode: (bytes[2]! >> 3) & 0x0f, recursionDesired: (bytes[2]! & 0x01) !== 0 };
  const count = (at: number) => view.getUint16(at);
  const section = readQuestionSection(bytes, count(4));
  const question = 'question' in section ? section.question : undefined;
  if (header.opcode !== OPCODE_QUERY) return { ...header, question, problem: { rcode: 'NOTIMP', reason: `opcode ${header.opcode}` } };
  if ('problem' in section) return { ...header, problem: { rcode: 'FORMERR', reason: section.problem } };
  const records = readRecords(bytes, section.end, count(6) + count(8), count(10));
  const parsed = { ...header, question, edns: records.edns };
  if (records.problem) return { ...parsed, problem: { rcode: 'FORMERR', reason: records.problem } };
  if (records.edns && records.edns.version > 0) return { ...parsed, problem: { rcode: 'BADVERS', reason: `EDNS version ${records.edns.version}` } };
  return parsed;
}

/** Walks the answer, authority and additional records to find the one OPT record an EDNS query carries. */
function readRecords(bytes: Uint8Array, from: number, before: number, additional: number): { edns?: DnsEdns; problem?: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let edns: DnsEdns | undefined;
  let offset = from;
  for (let index = 0; index < before + additional; index++) {
    const nameEnd = skipName(bytes, offset);
    if (nameEnd === undefined || nameEnd + 10 > bytes.length) return { edns, problem: 'record does not parse' };
    const type = view.getUint16(nameEnd);
    const end = nameEnd + 10 + view.getUint16(nameEnd + 8);
    if (end > bytes.length) return { edns, problem: 'record data runs past the message' };
    if (type === TYPE_OPT) {
      // RFC 6891 §6.1.1: one OPT, in the additional section, owned by the root.
      if (edns || index < before || nameEnd !== offset + 1) return { edns, problem: 'misplaced or repeated OPT record' };
      edns = { udpSize: view.getUint16(nameEnd + 2), version: bytes[nameEnd + 5]! };
    }
    offset = end;
  }
  return { edns };
}

/** The offset after a (possibly compressed) name; a pointer ends it. */
function skipName(bytes: Uint8Array, at: number): number | undefined {
  let offset = at;
  for (;;) {
    const length = bytes[offset];
    if (length === undefined) return undefined;
    if ((length & 0xc0) === 0xc0) return offset + 2 <= bytes.length ? offset + 2 : undefined;
    if (length > MAX_LABEL) return undefined;
    if (length === 0) return offset + 1;
    offset += 1 + length;
  }
}

/**
 * A name in presentation form (RFC 1035 §5.1) for the zone and chunk rules: letters, digits,
 * `-` and `_` as they are, every other byte as `\DDD`, so no byte of a label can pass for a dot.
 */
export function presentationName(labels: readonly Uint8Array[]): string {
  return labels.map((label) => Array.from(label, (byte) => (isPlain(byte) ? String.fromCharCode(byte) : `\\${String(byte).padStart(3, '0')}`)).join('')).join('.');
}

function isPlain(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x2d || byte === 0x5f;
}
