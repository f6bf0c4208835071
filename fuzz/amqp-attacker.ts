/**
 * A hostile AMQP 1.0 client with a valid certificate: it opens a connection, a session and a
 * sender link to an inbox by the book, then sends one hostile unit at a time, each followed by a
 * probe (an attach to an address the listener refuses): the probe's answer says the unit was read
 * and the connection lives. A unit that may put the byte stream out of step is followed by filler
 * until the listener cuts (or up to a cap). Every frame the listener sends is an answer for the
 * buffering count (fuzz/buffer-meter.ts).
 */
import tls from 'node:tls';
import { bool, conditionsOf, described, FrameReader, list, nul, performative, PERFORMATIVE, PROTOCOL_HEADER, SECTION, str, uint, firstString, type ReceivedFrame } from './amqp-codec.ts';
import { writeMetered, zeros, type BufferMeter, type ConnectionMeter } from './buffer-meter.ts';
import type { TlsMaterial } from '../internal.ts';

export const INBOX = 'inbox.fuzz';
export const PROBE_ADDRESS = 'probe';
const PROBE_HANDLE = 9_999;
const SENDER_LINK = 'fuzz-sender';
/** A unit unanswered this long is a hang: the listener answers a probe within a turn or two; ×10,000 for a busy machine. */
const ANSWER_TIMEOUT_MS = 30_000;

export type UnitOutcome = { answer: 'alive' | 'closed'; conditions: string[] } | { answer: 'held' } | { answer: 'timeout' } | { answer: 'unreadable'; why: string };

const contexts = new WeakMap<TlsMaterial, tls.SecureContext>();

/** One secure context per certificate: a context per connection cost more than the unit it carried. */
function contextOf(material: TlsMaterial): tls.SecureContext {
  let context = contexts.get(material);
  if (!context) contexts.set(material, (context = tls.createSecureContext({ key: material.key as string, cert: material.cert as string, ca: material.ca as string })));
  return context;
}

export class AmqpAttacker {
  private readonly reader = new FrameReader();
  private readonly conditions: string[] = [];
  private closed = false;
  private probes = 0;
  private waiter: (() => void) | undefined;
  private probeAnswered = false;
  private unreadable: string | undefined;
  /** The listener detached a link of this connection since the unit began (the probe's refusal aside). */
  private senderDetached = false;

  private constructor(
    private readonly socket: tls.TLSSocket,
    private readonly meter: ConnectionMeter,
  ) {
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** Connects, authenticates, and attaches a sender to the inbox; resolves once the listener attached its end. */
  static async open(port: number, material: TlsMaterial, meter: BufferMeter): Promise<AmqpAttacker> {
    const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const made = tls.connect({ host: '127.0.0.1', port, secureContext: contextOf(material), checkServerIdentity: () => undefined });
      made.once('secureConnect', () => resolve(made)).once('error', reject);
    });
    // Small frames both ways: Nagle plus the listener's delayed ACK would add ~40 ms to each probe.
    socket.setNoDelay(true);
    const attacker = new AmqpAttacker(socket, meter.connection());
    socket.write(Buffer.concat([PROTOCOL_HEADER, open(), begin(), attach('sender', 0, INBOX, SENDER_LINK)]));
    await attacker.until(() => attacker.closed || attacker.sawAttach(SENDER_LINK));
    return attacker;
  }

  get ended(): boolean {
    return this.closed;
  }

  /** Sends one unit and says what came of it. */
  async unit(bytes: Uint8Array, desync: boolean, cap: number): Promise<UnitOutcome> {
    this.conditions.length = 0;
    this.senderDetached = false;
    const written = await writeMetered(this.socket, bytes, this.meter, () => this.closed || this.senderDetached);
    // The listener detached the sender mid-unit (a delivery cut at its limit): what is left of the unit
    // is not sent (the listener would only drop it), and the stream, stopped mid-frame, ends here.
    if (written < bytes.byteLength && this.senderDetached && !this.closed) {
      this.destroy();
      return { answer: 'closed', conditions: [...this.conditions] };
    }
    if (desync) return this.fillUntilCut(cap);
    const name = `probe-${this.probes++}`;
    this.probeAnswered = false;
    this.expectedProbe = name;
    if (!this.closed) this.socket.write(attach('sender', PROBE_HANDLE, PROBE_ADDRESS, name));
    const answered = await this.until(() => this.closed || this.probeAnswered || this.unreadable !== undefined);
    if (this.unreadable !== undefined) return { answer: 'unreadable', why: this.unreadable };
    if (!answered) return { answer: 'timeout' };
    if (this.closed) return { answer: 'closed', conditions: [...this.conditions] };
    this.socket.write(performative(0, PERFORMATIVE.detach, [uint(PROBE_HANDLE), bool(true)]));
    return { answer: 'alive', conditions: [...this.conditions] };
  }

  destroy(): void {
    this.socket.destroy();
  }

  private expectedProbe = '';
  private attached = new Set<string>();

  private sawAttach(name: string): boolean {
    return this.attached.has(name);
  }

  /** Zeros after a unit that may have desynchronised the stream: a frame of size 0 next, which no listener may take. */
  private async fillUntilCut(cap: number): Promise<UnitOutcome> {
    const filler = zeros(cap);
    await writeMetered(this.socket, filler, this.meter, () => this.closed);
    // A socket destroyed under the writes was cut too: its 'close' event is a tick behind.
    if (!this.closed && !this.socket.destroyed) return { answer: 'held' };
    return { answer: 'closed', conditions: [...this.conditions] };
  }

  private received(chunk: Buffer): void {
    this.meter.answered();
    let frames: ReceivedFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (error) {
      this.unreadable = (error as Error).message;
      return this.wake();
    }
    for (const frame of frames) this.read(frame);
    this.wake();
  }

  private read(frame: ReceivedFrame): void {
    // The listener ended the session or the connection: this connection is done, whatever the socket does next.
    if (frame.code === PERFORMATIVE.close || frame.code === PERFORMATIVE.end) this.closed = true;
    if (frame.code === PERFORMATIVE.attach) {
      const name = firstString(frame);
      if (name !== undefined) this.attached.add(name);
      if (name === this.expectedProbe) this.probeAnswered = true;
      return;
    }
    // The probe's own refusal (its detach) is no answer to the unit.
    if (frame.body.includes(`'${PROBE_ADDRESS}'`)) return;
    if (frame.code === PERFORMATIVE.detach) this.senderDetached = true;
    this.conditions.push(...conditionsOf(frame));
  }

  /** Resolves true once `done()` holds, false after the answer timeout. */
  private until(done: () => boolean): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), ANSWER_TIMEOUT_MS);
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(value);
      };
      this.waiter = () => done() && finish(true);
    });
  }

  private wake(): void {
    this.waiter?.();
  }
}

function open(): Uint8Array {
  return performative(0, PERFORMATIVE.open, [str('fuzz-attacker'), nul(), uint(64 * 1024)]);
}

function begin(): Uint8Array {
  return performative(0, PERFORMATIVE.begin, [nul(), uint(0), uint(2_048), uint(2_048)]);
}

/** An attach of a link of `role` (false: sender) to `address`; a sender's initial delivery count is 0. */
function attach(role: 'sender' | 'receiver', handle: number, address: string, name = `${role}-${handle}`): Uint8Array {
  const source = described(SECTION.source, list([]));
  const target = described(SECTION.target, list([str(address)]));
  return performative(0, PERFORMATIVE.attach, [str(name), uint(handle), bool(role === 'receiver'), nul(), nul(), source, target, nul(), nul(), uint(0)]);
}
