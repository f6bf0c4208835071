import type { Timer } from '../../lib/index.ts';
import type { DeliveryLedger } from './delivery-ledger.ts';
import type { SimNetwork } from './sim-network.ts';
import type { SimScheduler } from './scheduler.ts';
import type { Trace } from './trace.ts';

/** The host name the broker lives on (for partitions). */
export const BROKER_HOST = 'broker';

/** A persisted message: the codec's bytes, and how many times it was delivered before (as a quorum queue's `x-delivery-count`). */
export interface StoredMessage {
  readonly id: string;
  readonly bytes: Uint8Array;
  attempt: number;
}

/** The consuming side of one queue: a node's mailbox, reached over the network. */
export interface Consumer {
  readonly host: string;
  /** The node incarnation consuming (`node#n`); its loss takes back its deliveries. */
  readonly owner: string;
  /** Called on the consumer's host when a delivery arrives. */
  receive(tag: number, message: StoredMessage): void;
}

interface Unacked {
  readonly message: StoredMessage;
  readonly consumer: Consumer;
  readonly timer: Timer;
}

interface Queue {
  readonly name: string;
  /** Ready messages the queue holds at most (RabbitMQ's `x-max-length` with `reject-publish`). */
  readonly maxLength: number;
  /** Exclusive queues (ask replies) belong to one node incarnation and die with it. */
  readonly owner: string | undefined;
  readonly ready: StoredMessage[];
  readonly unacked: Map<number, Unacked>;
  consumer: Consumer | undefined;
  inFlight: number;
}

/** What the broker says to a publish: taken, refused at the bound, lost on the way, or taken by no queue (mandatory). */
export type PublishOutcome = 'confirmed' | 'nacked' | 'lost' | 'unroutable';

export interface BrokerOptions {
  /** Unacked deliveries per consumer (AMQP prefetch). */
  prefetch: number;
  /** A delivery unacked this long is taken back and delivered again (consumer timeout). */
  ackTimeoutMs: number;
}

/**
 * A RabbitMQ-like broker in virtual time: persistent queues, publisher confirms, manual acks,
 * redelivery of whatever was delivered but not acked when a consumer is lost, times out or the
 * broker itself restarts. It is reached only over the simulated network, so partitions and
 * drops between a node and the broker happen on every frame.
 */
export class SimBroker {
  private readonly queues = new Map<string, Queue>();
  private nextTag = 1;
  up = true;

  constructor(
    private readonly scheduler: SimScheduler,
    private readonly network: SimNetwork,
    private readonly trace: Trace,
    private readonly ledger: DeliveryLedger,
    private readonly options: BrokerOptions,
  ) {}

  /**
   * Declares a queue (idempotent); metadata is durable, so declaring never waits for the broker.
   * As in RabbitMQ, a queue keeps the bound it was first declared with.
   */
  declare(name: string, owner?: string, maxLength = Infinity): void {
    if (!this.queues.has(name)) this.queues.set(name, { name, owner, maxLength, ready: [], unacked: new Map(), consumer: undefined, inFlight: 0 });
  }

  has(name: string): boolean {
    return this.queues.has(name);
  }

  /**
   * A publish arrived: `confirmed` when the broker took it, `nacked` when its queue is at its bound
   * (as RabbitMQ's `reject-publish`), `lost` when the broker is down (no answer at all).
   */
  publish(to: string, message: StoredMessage): PublishOutcome {
    if (!this.up) return 'lost';
    const queue = this.queues.get(to);
    if (!queue) {
      this.trace.record('unroutable', `${message.id} to ${to}`);
      this.ledger.exempt(message.id, 'unroutable');
      return 'unroutable';
    }
    if (queue.ready.length >= queue.maxLength) {
      this.trace.record('nack', `${message.id} to ${to} full at ${queue.maxLength}`);
      return 'nacked';
    }
    queue.ready.push(message);
    this.trace.record('enqueue', `${message.id} to ${to} depth=${queue.ready.length}`);
    this.pump(queue);
    return 'confirmed';
  }

  consume(name: string, consumer: Consumer): void {
    const queue = this.queues.get(name);
    if (!this.up || !queue) return;
    const previous = queue.consumer;
    queue.consumer = consumer;
    // What the previous consumer never acked goes to the new one, in its original order.
    if (previous && previous !== consumer) this.takeBack(queue, previous, 'consumer-replaced');
    this.pump(queue);
  }

  cancel(name: string, consumer: Consumer): void {
    const queue = this.queues.get(name);
    if (!queue || queue.consumer !== consumer) return;
    queue.consumer = undefined;
    this.takeBack(queue, consumer, 'consumer-cancelled');
  }

  ack(name: string, tag: number): void {
    const queue = this.queues.get(name);
    const entry = queue?.unacked.get(tag);
    if (!this.up || !queue || !entry) return;
    this.settle(queue, tag, entry);
    this.ledger.acked(entry.message.id);
    this.trace.record('acked', `${entry.message.id} tag=${tag}`);
    this.pump(queue);
  }

  /** A node's connection died: its deliveries come back, its exclusive queues go. */
  consumerLost(owner: string): void {
    for (const queue of [...this.queues.values()]) {
      if (queue.consumer?.owner === owner) {
        const consumer = queue.consumer;
        queue.consumer = undefined;
        this.takeBack(queue, consumer, 'consumer-lost');
      }
      if (queue.owner === owner) this.deleteQueue(queue);
    }
  }

  /** The broker process dies: unacked deliveries return to their queues, consumers are gone. */
  crash(): void {
    this.up = false;
    this.trace.record('fault', 'broker-crash');
    for (const queue of this.queues.values()) {
      queue.consumer = undefined;
      for (const [tag, entry] of [...queue.unacked].reverse()) this.putBack(queue, tag, entry);
    }
  }

  restart(): void {
    this.up = true;
    this.trace.record('fault', 'broker-restart');
  }

  /** Messages not yet acked, per queue (for reports). */
  pendingIn(name: string): number {
    const queue = this.queues.get(name);
    return queue ? queue.ready.length + queue.unacked.size : 0;
  }

  private deleteQueue(queue: Queue): void {
    this.queues.delete(queue.name);
    for (const message of queue.ready) this.ledger.exempt(message.id, 'queue-deleted');
    for (const entry of queue.unacked.values()) {
      entry.timer.cancel();
      this.ledger.exempt(entry.message.id, 'queue-deleted');
    }
    this.trace.record('queue-deleted', `${queue.name} with ${queue.ready.length + queue.unacked.size}`);
  }

  private settle(queue: Queue, tag: number, entry: Unacked): void {
    entry.timer.cancel();
    queue.unacked.delete(tag);
    queue.inFlight--;
  }

  /** An unacked delivery goes back to the head of its queue, one more delivery counted. */
  private putBack(queue: Queue, tag: number, entry: Unacked): void {
    this.settle(queue, tag, entry);
    entry.message.attempt++;
    queue.ready.unshift(entry.message);
  }

  /** A delivery whose handling never finished: back to the head of the queue, one more delivery counted. */
  nack(name: string, tag: number): void {
    const queue = this.queues.get(name);
    const entry = queue?.unacked.get(tag);
    if (!this.up || !queue || !entry) return;
    this.putBack(queue, tag, entry);
    this.trace.record('requeue', `${entry.message.id} attempt=${entry.message.attempt}`);
    this.pump(queue);
  }

  /** Every delivery of `consumer` goes back to the head of the queue, in its original order. */
  private takeBack(queue: Queue, consumer: Consumer, why: string): void {
    const mine = [...queue.unacked].filter(([, entry]) => entry.consumer === consumer);
    for (const [tag, entry] of mine.reverse()) {
      this.putBack(queue, tag, entry);
      this.trace.record('redeliver', `${entry.message.id} ${why}`);
    }
    this.pump(queue);
  }

  private pump(queue: Queue): void {
    const consumer = queue.consumer;
    if (!this.up || !consumer) return;
    while (queue.inFlight < this.options.prefetch && queue.ready.length > 0) {
      // The consumer gets its own copy: a later requeue must not change what is already on the wire.
      const message = { ...queue.ready.shift()! };
      const tag = this.nextTag++;
      const timer = this.scheduler.setTimer(this.options.ackTimeoutMs, () => this.ackTimedOut(queue, tag));
      queue.unacked.set(tag, { message, consumer, timer });
      queue.inFlight++;
      this.trace.record('deliver', `${message.id} to ${queue.name}@${consumer.host} tag=${tag} attempt=${message.attempt}`);
      this.network.hop(BROKER_HOST, consumer.host, { lossy: true, what: `deliver ${message.id}` }, () =>
        consumer.receive(tag, message),
      );
    }
  }

  private ackTimedOut(queue: Queue, tag: number): void {
    const entry = queue.unacked.get(tag);
    if (!entry || !this.up) return;
    this.settle(queue, tag, entry);
    queue.ready.unshift(entry.message);
    this.trace.record('redeliver', `${entry.message.id} ack-timeout tag=${tag}`);
    this.pump(queue);
  }
}
