import assert from 'node:assert/strict';
import type { ActorSystem } from '../../../../internal.ts';
import { dialTcp, exchange, startDnsRegistrar } from './dns-wire.ts';

const A = 1;
const TXT = 16;
const QUERY = 0;
const NOTIFY = 4;
const UPDATE = 5;
const FORMERR = 1;
const NOTIMP = 4;
const REFUSED = 5;

/** A name on the wire from labels given as text (latin1, any length: the length byte is what it is). */
function wireName(...labels: string[]): Buffer {
  return Buffer.concat([...labels.map((label) => Buffer.concat([Uint8Array.of(label.length), Buffer.from(label, 'latin1')])), Uint8Array.of(0)]);
}

/** A question: the name's bytes as given, then type and class IN. */
const question = (name: Uint8Array, type = TXT) => Buffer.concat([name, Uint8Array.of(type >> 8, type & 255, 0, 1)]);

/** A message: header (RD set, QDCOUNT as given), then `body`. */
function message(id: number, opcode: number, qdcount: number, body: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header[2] = (opcode << 3) | 1;
  header.writeUInt16BE(qdcount, 4);
  return Buffer.concat([header, body]);
}

/** The reply the rule calls for: QR, the query's id, opcode and RD, the RCODE, and the query's question bytes or none. */
function reply(id: number, opcode: number, rcode: number, copied?: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header[2] = 0x80 | (opcode << 3) | 1;
  header[3] = rcode;
  header.writeUInt16BE(copied ? 1 : 0, 4);
  return Buffer.concat([header, copied ?? new Uint8Array(0)]);
}

/** 63 + 63 + 63 + 61 bytes of labels and the root: 255 bytes, the longest name. */
const LONGEST = wireName('a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'D'.repeat(61));
const valid = question(wireName('Www', 'B', 'Test'), A);

/** [what, query, the exact reply] */
const CASES: [string, Buffer, Buffer][] = [
  ['a 64-byte label: FORMERR, header only', message(0x4064, QUERY, 1, question(wireName('a'.repeat(64), '0', '1', 's', 'b', 'test'))), reply(0x4064, QUERY, FORMERR)],
  ['a 256-byte name: FORMERR, header only', message(0x0256, QUERY, 1, question(wireName('a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(62)))), reply(0x0256, QUERY, FORMERR)],
  ['a compression pointer in the question: FORMERR, header only', message(0xc00c, QUERY, 1, question(Uint8Array.of(0xc0, 0x0c))), reply(0xc00c, QUERY, FORMERR)],
  ['a length byte of 0x40 (an extended label type): FORMERR, header only', message(0x0040, QUERY, 1, question(Uint8Array.of(0x40, 0x61, 0))), reply(0x0040, QUERY, FORMERR)],
  ['a question cut before its class: FORMERR, header only', message(0x0cc7, QUERY, 1, valid.subarray(0, valid.length - 2)), reply(0x0cc7, QUERY, FORMERR)],
  ['two questions: FORMERR, header only', message(0x0002, QUERY, 2, Buffer.concat([valid, valid])), reply(0x0002, QUERY, FORMERR)],
  ['an UPDATE with two zone entries: NOTIMP, header only, neither copied', message(0x0502, UPDATE, 2, Buffer.concat([valid, valid])), reply(0x0502, UPDATE, NOTIMP)],
  ['a NOTIFY announcing 65,535 questions and holding one: NOTIMP, header only', message(0xffff, NOTIFY, 65_535, valid), reply(0xffff, NOTIFY, NOTIMP)],
  ['an UPDATE whose zone name has a 64-byte label: NOTIMP, header only', message(0x0564, UPDATE, 1, question(wireName('z'.repeat(64), 'b', 'test'))), reply(0x0564, UPDATE, NOTIMP)],
  ['an UPDATE with one zone entry: NOTIMP, the entry copied', message(0x0501, UPDATE, 1, valid), reply(0x0501, UPDATE, NOTIMP, valid)],
  ['an IN A query for Www.B.Test: REFUSED, the question copied byte for byte (case kept)', message(0x00a1, QUERY, 1, valid), reply(0x00a1, QUERY, REFUSED, valid)],
  ['an IN A query for a 255-byte name: REFUSED, the question copied', message(0x0255, QUERY, 1, question(LONGEST, A)), reply(0x0255, QUERY, REFUSED, question(LONGEST, A))],
];

describe('DNS registrar: a reply copies the question exactly, or carries none (RFC 1035 §4.1.2, §2.3.4)', function () {
  this.timeout(20_000);
  let system: ActorSystem;
  let port: number;
  beforeEach(async () => {
    ({ system, port } = await startDnsRegistrar({ rate: { burst: 1_000, perSecond: 1_000 } }));
  });
  afterEach(() => system.stop({ drainTimeoutMs: 0 }));

  for (const [what, query, expected] of CASES) {
    it(`answers ${what}, over UDP and over TCP alike`, async () => {
      assert.deepEqual(await exchange(port, query), expected, 'UDP');
      const connection = await dialTcp(port);
      connection.send(query);
      assert.deepEqual(Buffer.from(await connection.next()), expected, 'TCP');
      connection.socket.destroy();
    });
  }
});
