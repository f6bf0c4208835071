// The question section of a query, and when a reply may copy it (RFC 1035 §4.1.2, §3.1, §2.3.4).
//
// The rule, the same for every RCODE and opcode, over UDP and TCP alike: a reply carries a
// question only when the query holds exactly one (QDCOUNT = 1) and it reads in plain form: labels
// of at most 63 bytes, a name of at most 255 bytes with its root label, QTYPE and QCLASS inside
// the message. The reply then copies those bytes as received: the name's case, any byte a label
// holds, type and class. Anything else is FORMERR (NOTIMP first for an opcode we do not serve),
// and its reply has no question at all (QDCOUNT = 0, the header with the query's id): no question,
// several, a compression pointer (nothing precedes the question for it to point at but the
// header), a length byte of 64–191 (no label type RFC 6891 keeps), a label or name too long, or
// bytes running out. The reply never rewrites a question (cut short, case folded, one of
// several): a resolver accepts only a reply whose question is its own, and a name over the limits
// is one no decoder would read back out of our reply anyway.
//
// An UPDATE's zone section (RFC 2136 §2.3) and a NOTIFY's question (RFC 1996 §3.7) have this form,
// so their NOTIMP reply copies them by the same rule.

const HEADER_BYTES = 12;
/** RFC 1035 §2.3.4: a label is at most 63 bytes; a larger length byte is a pointer or unassigned. */
const MAX_LABEL = 63;
/** RFC 1035 §2.3.4: a name is at most 255 bytes on the wire, length bytes and root label included. */
const MAX_NAME_BYTES = 255;
/** QTYPE and QCLASS after the name. */
const TYPE_CLASS_BYTES = 4;

/** The question as received: its wire bytes and what they say. */
export interface DnsQuestion {
  /** QNAME, QTYPE and QCLASS exactly as they arrived. */
  readonly bytes: Uint8Array;
  /** The labels of QNAME, raw bytes each. */
  readonly labels: readonly Uint8Array[];
  readonly type: number;
  readonly class: number;
}

/** The question section: the one question and the offset after it, or why a reply must not carry it. */
export type DnsQuestionSection = { question: DnsQuestion; end: number } | { problem: string };

/** Reads the question section of `bytes`, whose header announces `count` questions. */
export function readQuestionSection(bytes: Uint8Array, count: number): DnsQuestionSection {
  if (count !== 1) return { problem: `${count} questions, expected 1` };
  const name = readName(bytes, HEADER_BYTES);
  if ('problem' in name) return name;
  const end = name.end + TYPE_CLASS_BYTES;
  if (end > bytes.length) return { problem: 'question cut short before its type and class' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const question = { bytes: bytes.slice(HEADER_BYTES, end), labels: name.labels, type: view.getUint16(name.end), class: view.getUint16(name.end + 2) };
  return { question, end };
}

/** An uncompressed name at `at`: its labels and the offset after its root label. */
function readName(bytes: Uint8Array, at: number): { labels: Uint8Array[]; end: number } | { problem: string } {
  const labels: Uint8Array[] = [];
  for (let offset = at; ; ) {
    const length = bytes[offset];
    if (length === undefined) return { problem: 'name cut short' };
    if (length > MAX_LABEL) return { problem: length >= 0xc0 ? 'compression pointer in the question' : `label length byte ${length}` };
    if (offset + 1 + length - at > MAX_NAME_BYTES) return { problem: `name over ${MAX_NAME_BYTES} bytes` };
    if (length === 0) return { labels, end: offset + 1 };
    if (offset + 1 + length > bytes.length) return { problem: 'label cut short' };
    labels.push(bytes.subarray(offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
}
