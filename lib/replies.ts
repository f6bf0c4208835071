import type { Address } from './address.ts';
import { ERROR_REPLY_TYPE, LocalEnvelope, REPLY_TYPE, type Envelope } from './envelope.ts';
import { ReplyAddressError, SystemStoppedError, UnexpectedReplyError } from './errors.ts';
import { ACCEPTED } from './mailbox.ts';
import { PendingAsks } from './pending-asks.ts';
import type { Clock } from './ports/clock.ts';
import type { Random } from './ports/random.ts';
import type { Mailbox, Transport } from './ports/transport.ts';
import type { AnyProtocol } from './protocol.ts';
import { isReplyAddress, newReplyAddress } from './reply-address.ts';
import { errorToWire } from './wire-errors.ts';

/**
 * Both ends of asks, for one system: the reply address its asks wait on (a mailbox of its own,
 * never an actor's), the asks pending there, and the answers its actors send. A reply only ever
 * reaches a pending ask: anything else is dropped and handed to `dropped`, never delivered.
 */
export class Replies {
  readonly address: Address;
  private readonly asks: PendingAsks;
  private readonly inbox: Mailbox;

  constructor(
    private readonly transport: Transport,
    clock: Clock,
    private readonly random: Random,
    /** A reply that reaches no pending ask: the system counts and publishes it. */
    private readonly dropped: (reply: Envelope, reason: Error) => void,
  ) {
    this.asks = new PendingAsks(clock);
    this.address = newReplyAddress(random);
    this.inbox = transport.openMailbox(this.address, { capacity: 100_000, overflow: 'reject' }, undefined);
    this.inbox.attach(this.drain);
  }

  /** Waits for the reply to the ask `id` sent to `to`; a reply decoded from bytes is validated against `protocol`. */
  wait(id: string, to: Address, type: string, protocol: AnyProtocol | undefined, timeoutMs: number): Promise<unknown> {
    return this.asks.wait(id, to, type, protocol, timeoutMs);
  }

  /** Settles an ask that cannot be answered (its send failed). */
  fail(id: string, error: Error): void {
    this.asks.settle(id, error);
  }

  reply(request: Envelope, value: unknown): void {
    this.send(request, REPLY_TYPE, value);
  }

  replyError(request: Envelope, error: Error): void {
    this.send(request, ERROR_REPLY_TYPE, this.transport.encodes ? errorToWire(error) : error);
  }

  /** The system stopped: no reply comes any more, every ask still waiting is told so. */
  close(): void {
    this.inbox.close();
    this.asks.rejectAll(new SystemStoppedError());
  }

  /**
   * Answers an ask. `replyTo` may come from outside bytes, so a reply goes only to a well-formed
   * reply address that a transport holds open (where a system waits on its pending asks), never to
   * an actor's mailbox nor to a queue declared on demand; anything else is dropped.
   */
  private send(request: Envelope, type: string, body: unknown): void {
    const to = request.replyTo;
    if (to === undefined) return;
    const reply: Envelope = new LocalEnvelope(this.random, to, request.to, type, body, undefined, request.correlationId ?? request.id, 0);
    if (to === this.address) return this.receive(reply);
    if (!isReplyAddress(to)) return this.dropped(reply, new ReplyAddressError(to, 'is not a reply address: replies go only to pending asks'));
    const route = this.transport.route(to);
    if (route === undefined) return this.dropped(reply, new ReplyAddressError(to, 'is not open here: nobody waits for this reply'));
    const accepted = route.send(reply);
    if (accepted !== ACCEPTED) accepted.catch((error: Error) => this.dropped(reply, error));
  }

  private readonly drain = (): void => {
    for (let reply = this.inbox.take(); reply; reply = this.inbox.take()) {
      this.receive(reply);
      this.inbox.settle(reply, { handled: true });
    }
  };

  private receive(reply: Envelope): void {
    if (!this.asks.receive(reply, this.transport.encodes)) this.dropped(reply, new UnexpectedReplyError(reply.correlationId));
  }
}
