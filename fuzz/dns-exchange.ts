/**
 * One datagram to the DNS registrar and what came of it. A sentinel query (outside the zone,
 * refused at once) follows each datagram: the registrar reads datagrams in order, so once the
 * sentinel is answered the datagram was read, and silence is known without a timer. A datagram
 * owed an answer (dns-owed.ts) must get it; it may come later (after the Oracle), and is waited
 * for. An answer must decode (dns-packet, as a client reads it) and be the one owed.
 */
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { wrongAnswer, type OwedAnswer } from './dns-owed.ts';
import { encodeRawQuery } from './dns-wire.ts';

const SENTINEL = 'sentinel.invalid';
const SENTINEL_QUERY = Buffer.from(encodeRawQuery({ id: 0, flags: 0x0100, labels: SENTINEL.split('.').map((label) => Buffer.from(label)) }));
/** The registrar's longest wait is its ask to the Oracle (15 s): twice that, so only a hang ends here. */
const ANSWER_TIMEOUT_MS = 30_000;

export type DnsOutcome = { answer: 'rcode'; rcode: string; name: string | undefined; text: string | undefined } | { answer: 'silent' } | { answer: 'unanswered' } | { answer: 'unreadable'; why: string };

interface Waiting {
  expected: OwedAnswer | undefined;
  /** The sentinel's answer came: the datagram was read. */
  sentinel: boolean;
  /** The datagram's own answer, once it came. */
  outcome?: DnsOutcome;
  resolve(outcome: DnsOutcome): void;
}

export class DnsAttacker {
  private waiting: Waiting | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly port: number,
  ) {
    socket.on('message', (message) => this.received(message));
  }

  static async open(port: number): Promise<DnsAttacker> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new DnsAttacker(socket, port);
  }

  /** Sends `bytes`; `expected` is the answer it is owed, if any. */
  exchange(bytes: Uint8Array, expected: OwedAnswer | undefined): Promise<DnsOutcome> {
    return new Promise<DnsOutcome>((resolve) => {
      const timer = setTimeout(() => this.finish({ answer: 'unanswered' }), ANSWER_TIMEOUT_MS);
      this.waiting = { expected, sentinel: false, resolve: (outcome) => (clearTimeout(timer), resolve(outcome)) };
      this.socket.send(bytes, this.port, '127.0.0.1');
      this.socket.send(SENTINEL_QUERY, this.port, '127.0.0.1');
    });
  }

  close(): void {
    this.socket.close();
  }

  private received(message: Buffer): void {
    const waiting = this.waiting;
    if (!waiting) return;
    let packet: dnsPacket.DecodedPacket & { rcode?: string };
    try {
      packet = dnsPacket.decode(message);
    } catch (error) {
      return this.answered(waiting, { answer: 'unreadable', why: `not DNS: ${(error as Error).message}` });
    }
    const name = packet.questions?.[0]?.name;
    if (name === SENTINEL) {
      waiting.sentinel = true;
      return this.answered(waiting, waiting.outcome);
    }
    if (!waiting.expected) return this.answered(waiting, { answer: 'unreadable', why: `an answer where none is owed (id ${packet.id})` });
    const wrong = wrongAnswer(message, waiting.expected);
    if (wrong) return this.answered(waiting, { answer: 'unreadable', why: `an answer to another question: ${wrong}` });
    const txt = packet.answers?.find((record) => record.type === 'TXT');
    const text = txt?.type === 'TXT' ? ([] as (string | Buffer)[]).concat(txt.data).map(String).join('') : undefined;
    this.answered(waiting, { answer: 'rcode', rcode: packet.rcode ?? 'NOERROR', name, text });
  }

  /** Ends the exchange once the sentinel came and so did the datagram's answer (or none is due). */
  private answered(waiting: Waiting, outcome: DnsOutcome | undefined): void {
    waiting.outcome ??= outcome;
    if (!waiting.sentinel) return;
    if (waiting.outcome) return this.finish(waiting.outcome);
    if (!waiting.expected) this.finish({ answer: 'silent' });
  }

  private finish(outcome: DnsOutcome): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve(outcome);
  }
}
