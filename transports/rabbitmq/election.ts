import type { Channel, ConsumeMessage } from 'amqplib';
import type { Subscription } from 'rxjs';
import { LeaseUnavailableError, type Lease, type LeaseEvent, type Timer } from '../../lib/index.ts';
import type { ConnectionManager } from './connection-manager.ts';
import type { ManagedChannel } from './managed-channel.ts';
import type { ResolvedRabbitOptions } from './options.ts';

/**
 * How long the holder keeps one token before swapping it for a fresh one. RabbitMQ closes a
 * channel that holds a delivery unacknowledged past its `consumer_timeout` (30 min by default),
 * which would end the lease for nothing; a swap well inside it keeps the lease.
 */
export const LEASE_RENEW_MS = 10 * 60_000;

/** Queue names stop at 255 bytes; the namespace and prefix take some. */
const MAX_NAME = 200;

/**
 * The queue every contender consumes. Single active consumer: the broker delivers to one consumer
 * only, and picks the next one when it goes. At most one token waits (older ones are dropped), and
 * the queue goes with its last contender.
 */
function leaseQueue() {
  return {
    durable: false,
    autoDelete: true,
    arguments: { 'x-single-active-consumer': true, 'x-max-length': 1, 'x-overflow': 'drop-head' },
  };
}

/**
 * A lease elected by RabbitMQ (active/passive HA without ZooKeeper). Each contender declares one
 * single-active-consumer queue, puts a token in it and consumes it with prefetch 1; only the
 * broker's active consumer ever receives a token, and it holds it unacknowledged. When its channel
 * or connection dies the broker requeues the token to the next consumer, which becomes active;
 * the one that lost its connection turns passive as soon as its client notices. amqplib has no
 * consumer-activation callback, so holding a token is the signal.
 */
export class RabbitLease implements Lease {
  active = false;
  private readonly queue: string;
  private readonly channel: ManagedChannel<Channel>;
  private readonly listeners = { active: new Set<() => void>(), passive: new Set<() => void>() };
  private waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  /** The channel generation whose consumer holds the token now, and the token. */
  private held: { channel: Channel; generation: number; token: ConsumeMessage } | undefined;
  private renewal: Timer | undefined;
  private readonly connectionEvents: Subscription;
  private closed = false;

  constructor(
    private readonly manager: ConnectionManager,
    private readonly options: Pick<ResolvedRabbitOptions, 'namespace' | 'clock'> & { renewMs?: number },
    readonly name: string,
    /** Told once the lease is closed, so its owner keeps no closed lease. */
    private readonly onClosed: () => void = () => {},
  ) {
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) {
      throw new LeaseUnavailableError(String(name), `a lease name is 1 to ${MAX_NAME} characters`);
    }
    this.queue = `${options.namespace}:$lease:${name}`;
    this.channel = manager.channel<Channel>(`lease:${name}`, false, (channel, generation) => this.contend(channel, generation));
    // The connection's loss reaches this lease before any channel's own close.
    this.connectionEvents = manager.events.subscribe((event) => {
      if (event.kind === 'disconnected') this.lose();
    });
  }

  whenActive(): Promise<void> {
    if (this.active) return Promise.resolve();
    if (this.closed) return Promise.reject(new LeaseUnavailableError(this.name, 'closed'));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  on(event: LeaseEvent, listener: () => void): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  /**
   * Closing the channel is what hands over: the broker takes this consumer out of the line and
   * requeues the token to the next one. The managed channel then opens again after its backoff,
   * and this node contends anew, behind the others.
   */
  async resign(): Promise<void> {
    const held = this.held;
    if (!held) return;
    this.lose();
    await this.manager.closeQuietly(held.channel);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.connectionEvents.unsubscribe();
    this.onClosed();
    this.lose();
    await this.channel.close();
    for (const { reject } of this.waiters.splice(0)) reject(new LeaseUnavailableError(this.name, 'closed'));
  }

  /** Runs on every (re)opened channel: join the line of contenders with a token of our own. */
  private async contend(channel: Channel, generation: number): Promise<void> {
    channel.on('close', () => {
      if (this.held?.generation === generation) this.lose();
    });
    await channel.assertQueue(this.queue, leaseQueue());
    await channel.prefetch(1);
    // If nobody holds the lease, this token is what makes someone (the first in line) active.
    channel.sendToQueue(this.queue, Buffer.from('lease'), { persistent: false });
    await channel.consume(this.queue, (token) => {
      if (token) this.granted(channel, generation, token);
      // A null delivery is the broker cancelling the consumer (the queue was deleted): start over.
      else void this.manager.closeQuietly(channel);
    });
  }

  private granted(channel: Channel, generation: number, token: ConsumeMessage): void {
    if (this.closed || generation !== this.channel.generation) return;
    this.held = { channel, generation, token };
    this.scheduleRenewal();
    if (this.active) return;
    this.active = true;
    for (const { resolve } of this.waiters.splice(0)) resolve();
    this.emit('active');
  }

  /** A fresh token goes in first, then the old one is acknowledged: prefetch 1 delivers the fresh one to us, the holder. */
  private scheduleRenewal(): void {
    this.renewal?.cancel();
    this.renewal = this.options.clock.setTimer(this.options.renewMs ?? LEASE_RENEW_MS, () => {
      const held = this.held;
      if (!held) return;
      try {
        held.channel.sendToQueue(this.queue, Buffer.from('lease'), { persistent: false });
        held.channel.ack(held.token);
      } catch (error) {
        // The channel is closing: its close event ends the lease.
        this.manager.report(`lease:${this.name}`, error as Error);
      }
    });
  }

  private lose(): void {
    this.held = undefined;
    this.renewal?.cancel();
    if (!this.active) return;
    this.active = false;
    this.emit('passive');
  }

  private emit(event: LeaseEvent): void {
    for (const listener of [...this.listeners[event]]) {
      try {
        listener();
      } catch (error) {
        // A listener's failure is the listener's: it must not stop the lease or amqplib's dispatch.
        this.manager.report(`lease:${this.name}`, error as Error);
      }
    }
  }
}
