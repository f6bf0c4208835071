// What the DNS registrar reads of a message (RFC 1035 §4.1, RFC 6891 §6), straight from its
// bytes: the header, the one question (kept as the bytes received, so a reply copies it exactly,
// whatever a name holds: invalid UTF-8, dots inside a label, any case) and the OPT record.
// Nothing here throws: what does not parse is a `problem` the reply names with its RCODE.

const HEADER_BYTES = 12;
const MAX_LABEL = 63;
/** RFC 1035 §3.1: a name is at most 255 bytes on the wire. */
const MAX_NAME_BYTES = 255;
const TYPE_OPT = 41;
export const TYPE_TXT = 16;
export const CLASS_IN = 1;
export const OPCODE_QUERY = 0;

/** The question as received: its wire bytes and what they say. */
export interface DnsQuestion {
  /** QNAME, QTYPE and QCLASS exactly as they arrived. */
  readonly bytes: Uint8Array;
  /** The labels of QNAME, raw bytes each. */
  readonly labels: readonly Uint8Array[];
  readonly type: number;
  readonly class: number;
}

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
  /** Absent when the message has no question or it does not parse. */
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
  const question = count(4) >= 1 ? readQuestion(bytes, HEADER_BYTES) : undefined;
  if (header.opcode !== OPCODE_QUERY) return { ...header, question: question?.question, problem: { rcode: 'NOTIMP', reason: `opcode ${header.opcode}` } };
  if (count(4) !== 1) return { ...header, problem: { rcode: 'FORMERR', reason: `${count(4)} questions, expected 1` } };
  if (!question) return { ...header, problem: { rcode: 'FORMERR', reason: 'question does not parse' } };
  const records = readRecords(bytes, question.end, count(6) + count(8), count(10));
  const parsed = { ...header, question: question.question, edns: records.edns };
  if (records.problem) return { ...parsed, problem: { rcode: 'FORMERR', reason: records.problem } };
  if (records.edns && records.edns.version > 0) return { ...parsed, problem: { rcode: 'BADVERS', reason: `EDNS version ${records.edns.version}` } };
  return parsed;
}

/** The question at `at`: a name without compression (nothing precedes it to point at), type and class. */
function readQuestion(bytes: Uint8Array, at: number): { question: DnsQuestion; end: number } | undefined {
  const labels: Uint8Array[] = [];
  let offset = at;
  for (;;) {
    const length = bytes[offset];
    if (length === undefined || length > MAX_LABEL) return undefined;
    if (length === 0) break;
    if (offset + 1 + length > bytes.length) return undefined;
    labels.push(bytes.subarray(offset + 1, offset + 1 + length));
    offset += 1 + length;
    if (offset + 1 - at > MAX_NAME_BYTES) return undefined;
  }
  const end = offset + 1 + 4;
  if (end > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { question: { bytes: bytes.slice(at, end), labels, type: view.getUint16(offset + 1), class: view.getUint16(offset + 3) }, end };
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
