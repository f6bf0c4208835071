import {
  DedupeWindow,
  DeliveryAttemptsExceededError,
  MailboxFullError,
  UnknownAddressError,
  UnsupportedMailboxError,
  type MailboxOptions,
  admitFrame,
  DEFAULT_MAX_FRAME_BYTES,
  UNVALIDATED,
  type AdmissionGate,
  encodeEnvelope,
  inReplySpace,
  type Address,
  type AnyProtocol,
  type Envelope,
  type Mailbox,
  type Route,
  type Settlement,
  type SettleOutcome,
  type Transport,
  type TransportListener,
} from '../../lib/index.ts';
import { BROKER_HOST, type Consumer, type StoredMessage } from './sim-broker.ts';
import type { DurableOptions, NodeIncarnation, WorldParts } from './sim-node-context.ts';

const LOSSY = true;

/**
 * One node's connection to the simulated broker, as a `Transport`: every mailbox is a durable
 * queue, every send a publish that resolves on the broker's confirm (republished until then),
 * every handled message an ack. What the node took but never acked comes back when it is lost.
 */
export class SimDurableTransport implements Transport {
  readonly name = 'sim-durable';
  readonly encodes = true;
  private readonly mailboxes = new Map<Address, SimDurableMailbox>();
  private readonly routes = new Map<Address, Route>();
  /** Per address, for this connection's life: an actor stopped and spawned again still drops what it handled. */
  private readonly dedupes = new Map<Address, DedupeWindow>();
  listener: TransportListener | undefined;

  constructor(
    readonly world: WorldParts,
    readonly node: NodeIncarnation,
    readonly options: DurableOptions,
  ) {}

  listen(listener: TransportListener): void {
    this.listener = listener;
  }

  dedupeOf(address: Address): DedupeWindow {
    let window = this.dedupes.get(address);
    if (!window) this.dedupes.set(address, (window = new DedupeWindow(this.options.dedupeWindow)));
    return window;
  }

  openMailbox(address: Address, options: MailboxOptions, protocol: AnyProtocol | undefined): Mailbox {
    const reply = inReplySpace(address);
    // As over RabbitMQ: the broker keeps the bound, and can only refuse a publish beyond it.
    if (!reply && options.overflow !== 'reject') {
      throw new UnsupportedMailboxError(address, this.name, `overflow '${options.overflow}' is not available: the broker can only refuse a publish beyond the bound (use 'reject')`);
    }
    // Reply queues are exclusive to this connection, as AMQP reply queues are.
    this.world.broker.declare(address, reply ? this.node.key : undefined, reply ? Infinity : options.capacity);
    const mailbox = new SimDurableMailbox(this, address, protocol);
    this.mailboxes.set(address, mailbox);
    return mailbox;
  }

  route(address: Address): Route | undefined {
    if (!this.world.broker.has(address)) return undefined;
    let route = this.routes.get(address);
    if (!route) this.routes.set(address, (route = this.routeTo()));
    return route;
  }

  /** After the broker came back: consume again on every attached mailbox. */
  reconnect(): void {
    if (!this.node.alive) return;
    this.world.trace.record('reconnect', this.node.key);
    for (const mailbox of this.mailboxes.values()) mailbox.consumeAgain();
  }

  async close(): Promise<void> {
    for (const mailbox of this.mailboxes.values()) mailbox.close();
  }

  forget(mailbox: SimDurableMailbox): void {
    if (this.mailboxes.get(mailbox.address) === mailbox) this.mailboxes.delete(mailbox.address);
  }

  private routeTo(): Route {
    const node = this.node;
    return {
      get open() {
        return node.alive;
      },
      send: (envelope) => this.publish(envelope),
    };
  }

  /** Publishes until confirmed; the promise resolves on the confirm, never while unconfirmed. */
  private publish(envelope: Envelope): Promise<void> {
    const { scheduler, network, broker, trace, ledger, dice } = this.world;
    const { node, options } = this;
    ledger.sent(envelope, node.name, scheduler.now());
    const bytes = encodeEnvelope(envelope);
    trace.record('send', `${envelope.id} ${envelope.from ?? node.name}->${envelope.to} ${envelope.type}`);
    return new Promise<void>((resolve, reject) => {
      let confirmed = false;
      const attempt = (): void => {
        if (!node.alive || confirmed) return;
        const copies = dice.duplicate() ? 2 : 1;
        if (copies === 2) trace.record('duplicate', `publish ${envelope.id}`);
        for (let copy = 0; copy < copies; copy++) {
          network.hop(node.name, BROKER_HOST, { lossy: LOSSY, what: `publish ${envelope.id}` }, () => {
            const outcome = broker.publish(envelope.to, { id: envelope.id, bytes, attempt: 0 });
            if (outcome === 'lost') return;
            network.hop(BROKER_HOST, node.name, { lossy: LOSSY, what: `${outcome === 'nacked' ? 'nack' : 'confirm'} ${envelope.id}` }, () => {
              if (!node.alive || confirmed) return;
              confirmed = true;
              if (outcome === 'nacked') {
                ledger.exempt(envelope.id, 'mailbox-full');
                trace.record('refused', `${envelope.id} mailbox full`);
                return reject(new MailboxFullError(envelope.to));
              }
              // A mandatory publish nobody takes: an asker learns at once, as over RabbitMQ.
              if (outcome === 'unroutable' && envelope.replyTo !== undefined) return reject(new UnknownAddressError(envelope.to));
              ledger.confirmed(envelope.id);
              trace.record('confirm', envelope.id);
              resolve();
            });
          });
        }
        scheduler.setTimer(options.confirmTimeoutMs, () => {
          if (!node.alive || confirmed) return;
          trace.record('republish', envelope.id);
          attempt();
        });
      };
      attempt();
    });
  }
}

interface Taken {
  readonly tag: number;
  acked: boolean;
}

/** A durable queue as one node consumes it: deliveries buffered up to the prefetch, deduped by id. */
class SimDurableMailbox implements Mailbox, Consumer {
  readonly host: string;
  readonly owner: string;
  private readonly buffer: { tag: number; envelope: Envelope }[] = [];
  private readonly taken = new Map<Envelope, Taken>();
  private readonly dedupe: DedupeWindow;
  private readonly gate: AdmissionGate;
  private ready: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly transport: SimDurableTransport,
    readonly address: Address,
    protocol: AnyProtocol | undefined,
  ) {
    this.gate = { maxFrameBytes: DEFAULT_MAX_FRAME_BYTES, mailbox: address, protocolAt: () => protocol ?? UNVALIDATED };
    this.host = transport.node.name;
    this.owner = transport.node.key;
    this.dedupe = transport.dedupeOf(address);
  }

  get depth(): number {
    return this.buffer.length;
  }

  attach(ready: () => void): void {
    this.ready = ready;
    this.transport.world.broker.consume(this.address, this);
    if (this.buffer.length > 0) ready();
  }

  detach(): void {
    this.ready = undefined;
  }

  consumeAgain(): void {
    if (!this.closed) this.transport.world.broker.consume(this.address, this);
  }

  /** A delivery arrived over the network: admitted as RabbitMQ's are (the real codec, size bound and protocol). */
  receive(tag: number, message: StoredMessage): void {
    if (this.closed || !this.transport.node.alive) return;
    const admission = admitFrame(message.bytes, this.gate);
    if (admission.refused) {
      const { refused, envelope } = admission;
      this.transport.world.trace.record('refused', `${message.id} ${refused.message}`);
      this.transport.listener?.refused(this.address, refused, envelope, envelope ? undefined : message.bytes);
      return this.ack(tag, message.id);
    }
    const { envelope } = admission;
    envelope.attempt = message.attempt;
    if (this.abandoned(tag, envelope)) return;
    this.buffer.push({ tag, envelope });
    this.ready?.();
  }

  /** Delivered `maxAttempts` times before without its handling finishing: dead-lettered unhandled, as over RabbitMQ. */
  private abandoned(tag: number, envelope: Envelope): boolean {
    const { maxAttempts } = this.transport.options;
    if (envelope.attempt < maxAttempts || this.dedupe.has(envelope.id)) return false;
    const { ledger, trace } = this.transport.world;
    this.dedupe.add(envelope.id);
    ledger.deadLettered(envelope.id);
    trace.record('dead-letter', `${envelope.id} at ${this.address} after ${envelope.attempt} unfinished deliveries`);
    this.transport.listener?.refused(this.address, new DeliveryAttemptsExceededError(this.address, envelope.attempt), envelope, undefined);
    this.ack(tag, envelope.id);
    return true;
  }

  take(): Envelope | undefined {
    const { trace } = this.transport.world;
    const { breakage } = this.transport.options;
    for (let next = this.buffer.shift(); next; next = this.buffer.shift()) {
      const { tag, envelope } = next;
      if (breakage !== 'no-dedupe' && this.dedupe.has(envelope.id)) {
        trace.record('dedupe', `${envelope.id} at ${this.address}`);
        this.ack(tag, envelope.id);
        continue;
      }
      const taken: Taken = { tag, acked: false };
      if (breakage === 'ack-before-handle') this.ackTaken(taken, envelope.id);
      this.taken.set(envelope, taken);
      return envelope;
    }
    return undefined;
  }

  settle(envelope: Envelope, settlement: Settlement): SettleOutcome {
    const taken = this.taken.get(envelope);
    this.taken.delete(envelope);
    if (!taken) return settlement.handled ? 'done' : 'dead-lettered';
    const { ledger, trace, scheduler } = this.transport.world;
    const node = this.transport.node;
    if (settlement.handled) {
      this.dedupe.add(envelope.id);
      ledger.handled(envelope.id, node.name, node.incarnation, scheduler.now());
      trace.record('handled', `${envelope.id} at ${this.address}@${node.key}`);
      this.ackTaken(taken, envelope.id);
      return 'done';
    }
    if (settlement.abandoned) {
      // Its handling never finished: the broker delivers it again, and counts the delivery.
      trace.record('nack', `${envelope.id} at ${this.address}`);
      if (!taken.acked) this.sendToBroker(`nack ${envelope.id}`, (broker) => broker.nack(this.address, taken.tag));
      return 'retry';
    }
    // Its handler crashed on it: dead-lettered once, never delivered again, as in-process.
    this.dedupe.add(envelope.id);
    ledger.deadLettered(envelope.id);
    trace.record('dead-letter', `${envelope.id} at ${this.address}: its handler crashed`);
    this.ackTaken(taken, envelope.id);
    return 'dead-lettered';
  }

  close(): Envelope[] {
    this.closed = true;
    this.ready = undefined;
    this.transport.world.broker.cancel(this.address, this);
    this.transport.forget(this);
    // The messages stay in the durable queue for whoever consumes it next.
    return [];
  }

  private ackTaken(taken: Taken, id: string): void {
    if (taken.acked) return;
    taken.acked = true;
    this.ack(taken.tag, id);
  }

  private ack(tag: number, id: string): void {
    this.sendToBroker(`ack ${id}`, (broker) => broker.ack(this.address, tag));
  }

  private sendToBroker(what: string, arrive: (broker: WorldParts['broker']) => void): void {
    const { network, broker } = this.transport.world;
    network.hop(this.host, BROKER_HOST, { lossy: LOSSY, what }, () => arrive(broker));
  }
}
