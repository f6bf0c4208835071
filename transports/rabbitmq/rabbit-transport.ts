import type { Channel, Options } from 'amqplib';
import type { Observable } from 'rxjs';
import {
  DEFAULT_MAILBOX,
  DuplicateAddressError,
  InvalidAddressError,
  MailboxFullError,
  UnknownAddressError,
  MailboxRegistry,
  encodeEnvelope,
  inReplySpace,
  isReplyAddress,
  ReplyAddressError,
  TransportClosedError,
  rejection,
  type Address,
  type Announcement,
  type AnyProtocol,
  type Envelope,
  type Lease,
  type Mailbox,
  type MailboxOptions,
  type Route,
  type RollCallOptions,
  type RollCallResult,
  type Transport,
  type TransportFigures,
  type TransportListener,
} from '../../lib/index.ts';
import { ConnectionManager, type RabbitEvent } from './connection-manager.ts';
import { DeadLetters } from './dead-letters.ts';
import { RabbitLease } from './election.ts';
import type { ManagedChannel } from './managed-channel.ts';
import { isSystemAddress, queueName } from './names.ts';
import { resolveOptions, type DedupeStore, type RabbitOptions, type ResolvedRabbitOptions } from './options.ts';
import { Publisher } from './publisher.ts';
import { mailboxQueue, queueMismatch, type DurableQueueKind } from './queue-arguments.ts';
import { RabbitMailbox } from './rabbit-mailbox.ts';
import { callRoll, RollCallAnswers } from './roll-call.ts';
import { PublishNackedError, QueueMismatchError } from './errors.ts';

/** AMQP 0-9-1's limit on a queue name or routing key (a short string). */
const MAX_QUEUE_NAME_BYTES = 255;
/**
 * A node's reply queue lives and dies with its connection; replies to a dead node have nowhere to
 * go. Only a system declares one, for its own reply address: never a sender, from a `replyTo`.
 */
const REPLY_QUEUE: Options.AssertQueue = { durable: false, exclusive: true, autoDelete: true };

/**
 * Mailboxes in RabbitMQ: a direct exchange routes by actor address to a durable queue per
 * address (members of a pool at one address compete on it). A send resolves once the broker
 * confirmed the persistent message; the receiver acknowledges it after its handler finished and
 * drops redeliveries by envelope id; poison goes to the dead-letter queue with its reason. An ask
 * sent with `delivery: 'transient'` is published non-persistent and at most once (see `Publisher`).
 *
 * `new RabbitTransport(options)` starts connecting at once (sends wait for the connection);
 * `await connectRabbit(options)` also waits until the broker is reached, or fails.
 */
export class RabbitTransport implements Transport {
  readonly name = 'rabbitmq';
  readonly encodes = true;
  /** Dropped redeliveries, refused deliveries, redeliveries seen and a durable dedupe store's failures (claims or commits), across all mailboxes. */
  readonly stats = { duplicates: 0, refused: 0, dedupeUnavailable: 0, redelivered: 0 };
  readonly options: ResolvedRabbitOptions;
  private readonly manager: ConnectionManager;
  private readonly topology: ManagedChannel<Channel>;
  private readonly publisher: Publisher;
  private readonly deadLetters: DeadLetters;
  /** Classic, or quorum on a cluster (see `RabbitOptions.quorum`). */
  private readonly queueKind: DurableQueueKind;
  private readonly mailboxes = new MailboxRegistry<RabbitMailbox>();
  private readonly routes = new Map<Address, RabbitRoute>();
  private readonly declaring = new Map<Address, Promise<void>>();
  /** Per address, for this connection's life: an actor stopped and spawned again still drops what it handled. */
  private readonly dedupes = new Map<Address, DedupeStore>();
  private readonly listeners = new Set<TransportListener>();
  private readonly leases = new Set<RabbitLease>();
  private readonly rollCallAnswers: RollCallAnswers;
  /** Queues of addresses freed for good, being deleted (see `free`). */
  private readonly freeing = new Map<Address, Promise<void>>();
  private closed = false;

  constructor(options: RabbitOptions) {
    this.options = resolveOptions(options);
    this.manager = new ConnectionManager(this.options);
    const { namespace } = this.options;
    // A quorum mailbox has no bound, so a nack there is the broker's trouble, not a full mailbox: sent again.
    this.publisher = new Publisher(this.manager, 'publisher', this.options.quorum ? 'retry' : 'reject');
    this.queueKind = { quorum: this.options.quorum, groupSize: this.options.quorumGroupSize };
    this.deadLetters = new DeadLetters(namespace, this.publisher, this.queueKind);
    this.topology = this.manager.channel<Channel>('topology', false, async (channel) => {
      await channel.assertExchange(namespace, 'direct', { durable: true });
    });
    this.rollCallAnswers = new RollCallAnswers(this.manager, namespace);
  }

  /** Totals for the node's metrics: publishes and their confirms, redeliveries, duplicates dropped, refusals, reconnects. */
  figures(): TransportFigures {
    const { published, confirmed, nacked } = this.publisher.counts;
    return { published, confirmed, nacked, unconfirmed: this.publisher.unconfirmed, ...this.stats, reconnects: this.manager.reconnects };
  }

  /** Connection events: connected, disconnected, reconnect-scheduled, channel-error. */
  get events(): Observable<RabbitEvent> {
    return this.manager.events.asObservable();
  }

  /** The broker node the connection is on now (its URL without the password); undefined while reconnecting. */
  get brokerUrl(): string | undefined {
    return this.manager.url;
  }

  /** The queue that holds dead letters (with `x-airlock-reason` and `x-airlock-error` headers). */
  get deadLetterQueue(): string {
    return this.deadLetters.queue;
  }

  /** The queue behind `address`. */
  queueOf(address: Address): string {
    return queueName(this.options.namespace, address);
  }

  /**
   * An address whose queue name (`<namespace>:<address>`) is over AMQP's 255 bytes: refused before
   * amqplib sees it, as declaring it would fail on the shared topology channel and drop the connection.
   */
  private overlongQueue(address: Address): InvalidAddressError | undefined {
    const bytes = Buffer.byteLength(this.queueOf(address));
    if (bytes <= MAX_QUEUE_NAME_BYTES) return undefined;
    return new InvalidAddressError(address, `its queue '${this.options.namespace}:…' would be ${bytes} bytes, over AMQP's ${MAX_QUEUE_NAME_BYTES}`);
  }

  /**
   * Resolves once connected, every mailbox opened so far consumes and every queue of an address
   * freed so far is deleted (or kept, see `free`); rejects if the broker is unreachable.
   */
  async ready(): Promise<void> {
    await this.manager.ready();
    await this.topology.whenOpen();
    await Promise.all([...this.mailboxes.all().map((mailbox) => mailbox.whenConsuming()), ...this.freeing.values()]);
  }

  listen(listener: TransportListener): void {
    this.listeners.add(listener);
  }

  private dedupeOf(address: Address): DedupeStore {
    let store = this.dedupes.get(address);
    if (!store) this.dedupes.set(address, (store = this.options.dedupe(address)));
    return store;
  }

  openMailbox(address: Address, options: MailboxOptions, protocol: AnyProtocol | undefined): Mailbox {
    // Checked before the mailbox exists: creating one starts consuming its queue.
    if (this.mailboxes.has(address)) throw new DuplicateAddressError(address);
    const overlong = this.overlongQueue(address);
    if (overlong) throw overlong;
    const { namespace, prefetch, maxAttempts, maxFrameBytes } = this.options;
    const reply = inReplySpace(address);
    const queueOptions = reply ? REPLY_QUEUE : mailboxQueue(address, options, this.options.transient(address), this.queueKind);
    const mailbox = new RabbitMailbox(
      address,
      protocol,
      {
        exchange: namespace,
        queue: this.queueOf(address),
        queueOptions,
        // Replies are settled as soon as they are read, so a deep prefetch costs nothing.
        prefetch: reply ? Math.max(prefetch, 1_000) : prefetch,
        // Replies are transient and die with their node: acking each would only add traffic.
        autoAck: reply,
        maxAttempts,
        maxFrameBytes,
        dedupe: this.dedupeOf(address),
        deadLetters: this.deadLetters,
        listeners: this.listeners,
        stats: this.stats,
        freeing: () => this.freeing.get(address),
        freed: (closed) => {
          if (!reply) this.free(address, closed);
        },
        released: (mailbox) => this.mailboxes.release(mailbox),
      },
      this.manager,
    );
    return this.mailboxes.add(mailbox);
  }

  /**
   * The actor at `address` was removed for good (a dynamic child stopped, a deleted child): its
   * queue is deleted once `closed` (its consumer is gone), so an ask to the address fails at once
   * with `UnknownAddressError`, as in-process, instead of expiring in a queue nobody reads. Kept
   * when another node still consumes it (a pool) or messages wait in it (they are for the next
   * actor started at that address); the broker decides both atomically (`ifUnused`, `ifEmpty`).
   */
  private free(address: Address, closed: Promise<void>): void {
    const deleting = closed
      .then(() => this.deleteUnneeded(this.queueOf(address)))
      .finally(() => {
        if (this.freeing.get(address) === deleting) this.freeing.delete(address);
      });
    this.freeing.set(address, deleting);
  }

  private async deleteUnneeded(queue: string): Promise<void> {
    const connection = this.manager.connection;
    if (this.closed || !connection) return;
    try {
      // A channel of its own: the broker closes the channel of a delete it refuses (PRECONDITION_FAILED).
      const channel = await connection.createChannel();
      channel.on('error', () => {});
      await channel.deleteQueue(queue, { ifUnused: true, ifEmpty: true });
      await channel.close();
    } catch {
      // Kept: in use elsewhere, or not empty, or the connection went meanwhile (the queue stays, as on a stop).
    }
  }

  /**
   * Contends for the lease `name` among every node on this broker and namespace (see `RabbitLease`):
   * one holds it; when its connection goes, the broker hands it to the next. `renewMs` (10 min)
   * is how often the holder swaps its token, inside the broker's `consumer_timeout`.
   */
  elect(name: string, options: { renewMs?: number } = {}): Lease {
    if (this.closed) throw new TransportClosedError(this.name);
    const lease = new RabbitLease(this.manager, { ...this.options, renewMs: options.renewMs }, name, () => this.leases.delete(lease));
    this.leases.add(lease);
    return lease;
  }

  /** `node` answers roll calls on this namespace (see `roll-call.ts`) until closed or the connection goes. */
  announce(node: string): Announcement {
    if (this.closed) throw new TransportClosedError(this.name);
    return this.rollCallAnswers.announce(node);
  }

  /** The nodes announced on this broker and namespace, by every process that answers within the window. */
  rollCall(options?: RollCallOptions): Promise<RollCallResult> {
    if (this.closed) return rejection(new TransportClosedError(this.name));
    return callRoll(this.manager, this.options.namespace, this.options.clock, options);
  }

  route(address: Address): Route {
    // A reply address comes from a message's `replyTo`, any peer's choice: nothing is kept for it.
    if (inReplySpace(address)) return new RabbitRoute(this, address);
    let route = this.routes.get(address);
    if (!route) this.routes.set(address, (route = new RabbitRoute(this, address)));
    return route;
  }

  /** Messages published and not yet confirmed by the broker. */
  get unconfirmed(): number {
    return this.publisher.unconfirmed;
  }

  /**
   * Publishes an envelope to its address; resolves when the broker confirmed it. Every publish is
   * mandatory, so one that no queue takes comes back as `UnknownAddressError` instead of vanishing:
   * for a reply, a system address (`<node>/$control`) or an ask that is the answer, at once, as
   * in-process (nobody hosts that address, and nobody would answer in time); for a tell to an actor
   * address, its queue is declared then and the message published again, so messages to a node
   * that has not started yet wait for it. An ask expires in its queue when its asker stops waiting
   * (`expiresInMs`), so nothing handles it after the asker was told it failed. A nack is the queue
   * at its bound: `MailboxFullError`.
   */
  publish(envelope: Envelope): Promise<void> {
    if (this.closed) return rejection(new TransportClosedError(this.name));
    const to = envelope.to;
    const reply = inReplySpace(to);
    // Checked before anything reaches amqplib: a malformed one could be any length (routing keys stop at 255 bytes).
    if (reply && !isReplyAddress(to)) return rejection(new ReplyAddressError(to, 'is not a reply address'));
    const overlong = reply ? undefined : this.overlongQueue(to);
    if (overlong) return rejection(overlong);
    const content = asBuffer(encodeEnvelope(envelope));
    const system = !reply && isSystemAddress(to);
    const transient = !reply && !system && this.options.transient(to);
    const asked = envelope.replyTo !== undefined;
    // A transient ask (see `Delivery`): non-persistent, published at most once, in a durable queue all the same.
    const once = asked && envelope.delivery === 'transient';
    const options: Options.Publish = {
      persistent: this.options.persistent && !reply && !transient && !once,
      messageId: envelope.id,
      mandatory: true,
      expiration: this.expirationOf(envelope, system, transient),
    };
    const publish = () => this.publisher.publish(this.options.namespace, to, content, options, once);
    const waits = this.prerequisites(envelope);
    const sent = waits ? waits.then(publish) : publish();
    if (reply) return sent;
    return sent.catch((error: Error) => {
      if (error instanceof PublishNackedError) throw new MailboxFullError(to);
      if (!(error instanceof UnknownAddressError) || system || asked) throw error;
      return this.declareQueue(to).then(publish);
    });
  }

  /** How long a message may wait in its queue (ms, as the broker wants it), if not for ever. */
  private expirationOf(envelope: Envelope, system: boolean, transient: boolean): string | undefined {
    const bound = system ? this.options.systemMessageTtlMs : transient ? this.options.transientTtlMs : undefined;
    const asked = envelope.expiresInMs;
    if (asked === undefined) return bound === undefined ? undefined : String(bound);
    return String(Math.max(1, Math.ceil(bound === undefined ? asked : Math.min(asked, bound))));
  }

  /**
   * What must consume before `envelope` is published: a mailbox of this transport it goes to (so
   * its queue exists with its own bounds, never a sender's defaults), and the reply queue its answer needs.
   */
  private prerequisites(envelope: Envelope): Promise<unknown> | undefined {
    const receiver = this.mailboxes.get(envelope.to);
    const replies = envelope.replyTo === undefined ? undefined : this.mailboxes.get(envelope.replyTo);
    // No arrays on this path: both are consuming for every message but the first few.
    const toReceiver = receiver && !receiver.consuming ? receiver.whenConsuming() : undefined;
    const toReplies = replies && !replies.consuming ? replies.whenConsuming() : undefined;
    return toReceiver && toReplies ? Promise.all([toReceiver, toReplies]) : (toReceiver ?? toReplies);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const route of this.routes.values()) route.open = false;
    for (const mailbox of this.mailboxes.all()) mailbox.close();
    for (const lease of [...this.leases]) await lease.close();
    await this.publisher.close();
    await this.manager.close();
  }

  /**
   * Declares the durable queue of an actor address nobody has declared yet, with the default
   * mailbox bounds (its node, starting later, declares the same unless its actor asks for others).
   * Declarations in flight are shared, so a burst of first sends declares once.
   */
  private declareQueue(address: Address): Promise<void> {
    const pending = this.declaring.get(address);
    if (pending) return pending;
    const declaring = this.declare(address).finally(() => this.declaring.delete(address));
    this.declaring.set(address, declaring);
    return declaring;
  }

  private async declare(address: Address): Promise<void> {
    await this.topology.whenOpen();
    const channel = this.topology.current;
    if (!channel) throw new TransportClosedError(this.name);
    const queue = this.queueOf(address);
    try {
      await channel.assertQueue(queue, mailboxQueue(address, DEFAULT_MAILBOX, this.options.transient(address), this.queueKind));
    } catch (error) {
      // Another node declared it meanwhile, with its own bounds: the queue is there, which is all a sender needs.
      if (!(queueMismatch(queue, error) instanceof QueueMismatchError)) throw error;
      return;
    }
    await channel.bindQueue(queue, this.options.namespace, address);
  }
}

/** The route to one address; it stays open until the transport closes. */
class RabbitRoute implements Route {
  open = true;

  constructor(
    private readonly transport: RabbitTransport,
    readonly address: Address,
  ) {}

  send(envelope: Envelope): Promise<void> {
    return this.transport.publish(envelope);
  }
}

/** msgpackr already hands out Buffers; wrap (never copy) anything else. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A RabbitMQ transport whose broker has been reached (rejects with `BrokerUnavailableError` otherwise). */
export async function connectRabbit(options: RabbitOptions): Promise<RabbitTransport> {
  const transport = new RabbitTransport(options);
  try {
    await transport.ready();
  } catch (error) {
    await transport.close();
    throw error;
  }
  return transport;
}
