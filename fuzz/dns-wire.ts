/**
 * DNS queries by hand, byte for byte, so a label may hold anything (invalid UTF-8, dots, 64+
 * bytes) and a header any opcode or count: what dns-packet would refuse to encode.
 */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const TXT = 16;
const IN = 1;

export interface RawQuery {
  id: number;
  /** The 16-bit flags word: QR, opcode, AA, TC, RD, RA, Z, RCODE. */
  flags: number;
  labels: Uint8Array[];
  qtype?: number;
  qclass?: number;
  /** Question count as the header announces it (the body holds one question either way). */
  qdcount?: number;
  /** Raw additional records (e.g. OPT), already encoded, with the count the header announces. */
  additionals?: { count: number; bytes: Uint8Array };
}

export function encodeRawQuery(query: RawQuery): Uint8Array {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.id & 0xffff, 0);
  header.writeUInt16BE(query.flags & 0xffff, 2);
  header.writeUInt16BE(query.qdcount ?? 1, 4);
  header.writeUInt16BE(query.additionals?.count ?? 0, 10);
  const name = Buffer.concat([...query.labels.map((label) => Buffer.concat([Buffer.from([label.byteLength & 0xff]), label])), Buffer.from([0])]);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(query.qtype ?? TXT, 0);
  tail.writeUInt16BE(query.qclass ?? IN, 2);
  return Buffer.concat([header, name, tail, query.additionals?.bytes ?? new Uint8Array(0)]);
}

/** An OPT pseudo-record (EDNS): any payload size, version and options, raw. */
export function optRecord(udpPayloadSize: number, version: number, options: Uint8Array): Uint8Array {
  const record = Buffer.alloc(11);
  record.writeUInt8(0, 0); // root name
  record.writeUInt16BE(41, 1); // OPT
  record.writeUInt16BE(udpPayloadSize & 0xffff, 3);
  record.writeUInt8(0, 5); // extended RCODE
  record.writeUInt8(version & 0xff, 6);
  record.writeUInt16BE(0, 7); // DO and Z
  record.writeUInt16BE(options.byteLength & 0xffff, 9);
  return Buffer.concat([record, options]);
}

export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
}

/** `<data>.<seq>.<total>.<session>.<zone>` as labels, the data split into labels of 63 characters. */
export function registrationLabels(data: Uint8Array, seq: number, total: number, session: string, zone: string): Uint8Array[] {
  const text = base32(data);
  const dataLabels = text.match(/.{1,63}/g) ?? [];
  return [...dataLabels, String(seq), String(total), session, ...zone.split('.')].map((label) => Buffer.from(label, 'latin1'));
}
