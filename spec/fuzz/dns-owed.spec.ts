import assert from 'node:assert/strict';
import { owedAnswer, wrongAnswer } from '../../fuzz/dns-owed.ts';

/** A message: id 7, the opcode, RD, QDCOUNT, then the body. */
function message(body: Uint8Array, options: { qr?: boolean; opcode?: number; qdcount?: number; rcode?: number } = {}): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(7, 0);
  header[2] = (options.qr ? 0x80 : 0) | ((options.opcode ?? 0) << 3) | 1;
  header[3] = options.rcode ?? 0;
  header.writeUInt16BE(options.qdcount ?? 1, 4);
  return Buffer.concat([header, body]);
}

const question = Buffer.from([1, 0x41, 1, 0x62, 0, 0, 1, 0, 1]); // A.b IN A

describe('fuzz: what the DNS registrar owes a datagram (judged by RFC 1035, not by dns-packet)', () => {
  it('owes nothing to less than a header or to a response', () => {
    assert.equal(owedAnswer(new Uint8Array(11)), undefined);
    assert.equal(owedAnswer(message(question, { qr: true })), undefined);
  });

  it('owes the question byte for byte when there is exactly one in plain form', () => {
    assert.deepEqual(owedAnswer(message(question)), { id: 7, question });
  });

  const NONE: [string, Buffer][] = [
    ['a compression pointer, which dns-packet reads', message(Buffer.from([0xc0, 0x00, 0, 1, 0, 1]))],
    ['a 64-byte label', message(Buffer.concat([Buffer.from([64]), Buffer.alloc(64, 0x61), Buffer.from([0, 0, 1, 0, 1])]))],
    ['a question cut before its class', message(question.subarray(0, 7))],
    ['two questions', message(Buffer.concat([question, question]), { qdcount: 2 })],
    ['a NOTIFY announcing 65,535 questions', message(question, { opcode: 4, qdcount: 65_535 })],
  ];
  for (const [what, query] of NONE) {
    it(`owes ${what} an answer with its id and no question`, () => assert.deepEqual(owedAnswer(query), { id: 7, question: undefined }));
  }

  it('finds an answer wrong that copies a question none can be, rewrites it, or carries another id', () => {
    const none = { id: 7, question: undefined };
    assert.equal(wrongAnswer(message(new Uint8Array(0), { qr: true, qdcount: 0, rcode: 1 }), none), undefined);
    assert.equal(wrongAnswer(message(question, { qr: true, opcode: 4, rcode: 4 }), none), '1 questions and RCODE 4 for a question it cannot copy');
    const owed = { id: 7, question };
    assert.equal(wrongAnswer(message(question, { qr: true, rcode: 5 }), owed), undefined);
    assert.equal(wrongAnswer(message(Buffer.from([1, 0x61, 1, 0x62, 0, 0, 1, 0, 1]), { qr: true, rcode: 5 }), owed), "1 questions, not the query's question as sent");
    assert.equal(wrongAnswer(Buffer.from(message(question, { qr: true })).fill(0, 0, 2), owed), 'id 0, asked 7');
  });
});
