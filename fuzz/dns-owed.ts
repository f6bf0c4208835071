/**
 * What the DNS registrar owes a datagram, judged from its bytes by RFC 1035 alone (never by the
 * registrar's own reader, which is what is under test, nor by dns-packet, which reads more
 * leniently than a server must: it takes a compression pointer in a question, and it throws on
 * a message whose question is fine but whose records are not, both of which the registrar answers).
 *
 * A datagram of a header or more that is not a response is owed an answer with its id. The answer
 * copies the question byte for byte when the query holds exactly one in plain form (labels of at
 * most 63 bytes, a name of at most 255, type and class present); otherwise it holds no question
 * and an error RCODE (FORMERR, or NOTIMP for an opcode other than QUERY).
 */

const HEADER_BYTES = 12;
const MAX_LABEL = 63;
const MAX_NAME_BYTES = 255;

export interface OwedAnswer {
  id: number;
  /** The question the answer must copy; undefined: the answer must carry none. */
  question: Uint8Array | undefined;
}

/** The answer `bytes` is owed, or undefined when it is owed none (shorter than a header, or a response). */
export function owedAnswer(bytes: Uint8Array): OwedAnswer | undefined {
  if (bytes.length < HEADER_BYTES || (bytes[2]! & 0x80) !== 0) return undefined;
  const message = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = message.readUInt16BE(4) === 1 ? plainQuestionLength(message) : undefined;
  return { id: message.readUInt16BE(0), question: length === undefined ? undefined : message.subarray(HEADER_BYTES, HEADER_BYTES + length) };
}

/** Why `answer` is not the answer owed, or undefined when it is. */
export function wrongAnswer(answer: Buffer, owed: OwedAnswer): string | undefined {
  if (answer.length < HEADER_BYTES) return `${answer.length} bytes, less than a header`;
  if (answer.readUInt16BE(0) !== owed.id) return `id ${answer.readUInt16BE(0)}, asked ${owed.id}`;
  const questions = answer.readUInt16BE(4);
  if (!owed.question) return questions === 0 && (answer[3]! & 0x0f) !== 0 ? undefined : `${questions} questions and RCODE ${answer[3]! & 0x0f} for a question it cannot copy`;
  const copied = answer.subarray(HEADER_BYTES, HEADER_BYTES + owed.question.length);
  return questions === 1 && copied.equals(owed.question) ? undefined : `${questions} questions, not the query's question as sent`;
}

/** The bytes of the question after the header, read strictly, or undefined when it is not one. */
function plainQuestionLength(message: Buffer): number | undefined {
  for (let offset = HEADER_BYTES; ; ) {
    const length = message[offset];
    if (length === undefined || length > MAX_LABEL) return undefined;
    if (offset + 1 + length - HEADER_BYTES > MAX_NAME_BYTES) return undefined;
    if (length === 0) return offset + 1 + 4 <= message.length ? offset + 1 + 4 - HEADER_BYTES : undefined;
    offset += 1 + length;
  }
}
