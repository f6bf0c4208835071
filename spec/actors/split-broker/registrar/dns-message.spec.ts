import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { encodeDnsReply, parseDnsQuery, presentationName, replyLimit, type DnsOutcome, type DnsQuery } from '../../../../actors/split-broker/registrar/index.ts';

/** A query as a resolver builds it: header, one question, optionally an OPT record. */
function query(options: { id?: number; opcode?: number; rd?: boolean; name?: Uint8Array; type?: number; class?: number; opt?: { udpSize: number; version?: number } }): Uint8Array {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(options.id ?? 0x1234, 0);
  header[2] = ((options.opcode ?? 0) << 3) | (options.rd === false ? 0 : 1);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(options.opt ? 1 : 0, 10);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(options.type ?? 16, 0);
  tail.writeUInt16BE(options.class ?? 1, 2);
  const opt = Buffer.alloc(options.opt ? 11 : 0);
  if (options.opt) {
    opt.writeUInt16BE(41, 1);
    opt.writeUInt16BE(options.opt.udpSize, 3);
    opt[6] = options.opt.version ?? 0;
  }
  return Buffer.concat([header, options.name ?? wireName('a.0.1.s.b.test'), tail, opt]);
}

function wireName(text: string): Uint8Array {
  return Buffer.concat([...text.split('.').map((label) => Buffer.concat([Uint8Array.of(label.length), Buffer.from(label, 'latin1')])), Uint8Array.of(0)]);
}

/** The question section of a reply: the bytes after the header, as long as the query's question. */
const questionOf = (bytes: Uint8Array, length: number) => Buffer.from(bytes.subarray(12, 12 + length));
const parsed = (bytes: Uint8Array): DnsQuery => parseDnsQuery(bytes)!;

describe('DNS messages (what the registrar reads and answers)', () => {
  const TYPES: [string, number, number][] = [['an IN A', 1, 1], ['an IN AAAA', 28, 1], ['an IN NS', 2, 1], ['an IN SOA', 6, 1], ['an IN ANY', 255, 1], ['a CH TXT', 16, 3]];
  for (const [what, type, klass] of TYPES) {
    it(`copies the question of ${what} query into its REFUSED reply as received`, () => {
      const bytes = query({ name: wireName('Www.B.Test'), type, class: klass });
      const reply = encodeDnsReply(parsed(bytes), { rcode: 'REFUSED' }, 512);
      const decoded = dnsPacket.decode(Buffer.from(reply));
      assert.deepEqual([decoded.id, decoded.type, (decoded as { rcode?: string }).rcode, decoded.questions?.length], [0x1234, 'response', 'REFUSED', 1]);
      assert.deepEqual(questionOf(reply, bytes.length - 12), Buffer.from(bytes.subarray(12)));
    });
  }

  it('copies a name that is not UTF-8 byte for byte: the reply decodes and its question is the query\'s', () => {
    const label = Buffer.from(Array.from({ length: 63 }, (_, i) => 0x80 + (i % 64)));
    const name = Buffer.concat([Uint8Array.of(63), label, Uint8Array.of(63), label, Uint8Array.of(61), label.subarray(0, 61), wireName('b.test')]);
    const bytes = query({ name });
    const reply = encodeDnsReply(parsed(bytes), { rcode: 'FORMERR' }, 512);
    assert.equal(reply.length, bytes.length);
    assert.deepEqual(questionOf(reply, name.length + 4), Buffer.from(bytes.subarray(12)));
    assert.doesNotThrow(() => dnsPacket.decode(Buffer.from(reply)));
    assert.match(presentationName(parsed(bytes).question!.labels), /^\\128\\129.*\.b\.test$/);
  });

  it('writes every byte that is not a letter, digit, - or _ as \\DDD, so no label passes for a dot', () => {
    assert.equal(presentationName([Buffer.from('a.b'), Buffer.from('Zz-_9'), Uint8Array.of(0, 255)]), 'a\\046b.Zz-_9.\\000\\255');
  });

  const PROBLEMS: [string, Uint8Array, string | undefined, boolean][] = [
    ['an UPDATE (opcode 5)', query({ opcode: 5 }), 'NOTIMP', true],
    ['a NOTIFY (opcode 4)', query({ opcode: 4 }), 'NOTIMP', true],
    ['two questions', Buffer.concat([Buffer.from(query({})).fill(2, 5, 6)]), 'FORMERR', false],
    ['no question', Buffer.from(query({}).subarray(0, 12)).fill(0, 5, 6), 'FORMERR', false],
    ['a label running past the end', query({}).subarray(0, 20), 'FORMERR', false],
    ['a compression pointer in the question', query({ name: Uint8Array.of(0xc0, 12) }), 'FORMERR', false],
    ['an OPT record cut short', query({ opt: { udpSize: 4096 } }).subarray(0, 35), 'FORMERR', true],
    ['EDNS version 1', query({ opt: { udpSize: 4096, version: 1 } }), 'BADVERS', true],
  ];
  for (const [what, bytes, rcode, hasQuestion] of PROBLEMS) {
    it(`answers ${what} with ${rcode}, well-formed, id kept`, () => {
      const query = parsed(bytes);
      assert.equal(query.problem?.rcode, rcode);
      const reply = dnsPacket.decode(Buffer.from(encodeDnsReply(query, { rcode: query.problem!.rcode }, 512))) as dnsPacket.DecodedPacket & { rcode: string; opcode: string };
      assert.deepEqual([reply.id, reply.rcode, reply.questions!.length], [0x1234, rcode === 'BADVERS' ? 'NOERROR' : rcode, hasQuestion ? 1 : 0]);
    });
  }

  it('gives no reply to what has no header or is itself a response', () => {
    assert.equal(parseDnsQuery(new Uint8Array(11)), undefined);
    assert.equal(parseDnsQuery(Buffer.from(query({})).fill(0x80, 2, 3)), undefined);
  });

  it('answers an OPT with an OPT: EDNS version 0, a 1,232-byte buffer, BADVERS in its extended RCODE', () => {
    const plain = dnsPacket.decode(Buffer.from(encodeDnsReply(parsed(query({ opt: { udpSize: 4096 } })), { text: 'ack 1/3' }, 1232)));
    assert.deepEqual(plain.additionals, [{ name: '.', type: 'OPT', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }]);
    assert.deepEqual(plain.answers?.map((answer) => [answer.name, answer.type, ((answer as { data: Buffer[] }).data).map(String)]), [['a.0.1.s.b.test', 'TXT', ['ack 1/3']]]);
    const badvers = dnsPacket.decode(Buffer.from(encodeDnsReply(parsed(query({ opt: { udpSize: 4096, version: 1 } })), { rcode: 'BADVERS' }, 1232)));
    assert.equal((badvers.additionals![0] as { extendedRcode: number }).extendedRcode, 1);
    assert.deepEqual(dnsPacket.decode(Buffer.from(encodeDnsReply(parsed(query({})), { text: 'x' }, 512))).additionals, []);
  });

  const LIMITS: [string, Uint8Array, 'udp' | 'tcp', number][] = [
    ['UDP without EDNS', query({}), 'udp', 512],
    ['UDP, EDNS 4,096 (capped)', query({ opt: { udpSize: 4096 } }), 'udp', 1232],
    ['UDP, EDNS 1,000', query({ opt: { udpSize: 1000 } }), 'udp', 1000],
    ['UDP, EDNS 100 (at least 512)', query({ opt: { udpSize: 100 } }), 'udp', 512],
    ['TCP', query({}), 'tcp', 65_535],
  ];
  for (const [what, bytes, transport, limit] of LIMITS) {
    it(`fits a reply over ${what} in ${limit} bytes`, () => assert.equal(replyLimit(parsed(bytes), transport), limit));
  }

  const SIZES: [string, string, number, boolean, number][] = [
    ['a 1,119-byte answer over 512 bytes: truncated, TC, no answer', 'x'.repeat(1_070), 512, true, 0],
    ['a 512-byte reply in 512 bytes: whole', 'x'.repeat(466), 512, false, 1],
    ['a 1,119-byte answer over TCP: whole', 'x'.repeat(1_070), 65_535, false, 1],
  ];
  for (const [what, text, limit, truncated, answers] of SIZES) {
    it(`sends ${what}`, () => {
      const outcome: DnsOutcome = { text };
      const full = encodeDnsReply(parsed(query({})), outcome, 65_535);
      const reply = encodeDnsReply(parsed(query({})), outcome, limit);
      const decoded = dnsPacket.decode(Buffer.from(reply));
      assert.deepEqual([full.length > 512, reply.length <= limit, decoded.flag_tc, decoded.answers!.length], [text.length > 466, true, truncated, answers]);
      if (!truncated) assert.equal(decoded.answers!.flatMap((answer) => (answer as { data: Buffer[] }).data).join(''), text);
    });
  }
  it('measures a 1,070-byte text as a 1,119-byte reply', () => assert.equal(encodeDnsReply(parsed(query({})), { text: 'x'.repeat(1_070) }, 65_535).length, 1_119));
});
