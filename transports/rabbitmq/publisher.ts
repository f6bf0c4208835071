import type { ConfirmChannel, Message, Options } from 'amqplib';
import { TransportClosedError, UnknownAddressError, type Timer } from '../../lib/index.ts';
import type { ConnectionManager } from './connection-manager.ts';
import type { ManagedChannel } from './managed-channel.ts';
import { PublishNackedError, TransientMessageLostError, UnpublishableMessageError } from './errors.ts';

/** One message the broker has not confirmed yet. */
interface Outgoing {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Options.Publish;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  /** The channel generation it was last published on (0: not yet). */
  sentOn: number;
  /** The broker returned it as unroutable (mandatory publish); the confirm that follows fails it. */
  returned: boolean;
  /** Never published twice: a channel lost before its confirm fails it (`TransientMessageLostError`). */
  readonly atMostOnce: boolean;
}

/**
 * Publishes over a confirm channel: each publish resolves only when the broker confirmed it.
 * What is unconfirmed when the channel or the connection dies stays in the outbox and is
 * published again, in order, on the next channel, so nothing is lost to a reconnect (the
 * receiver's dedupe window drops the copies the broker may then hold twice). A publish that
 * amqplib refuses to encode (a routing key over 255 bytes, headers over its 64 KiB table) can
 * never succeed: it rejects with `UnpublishableMessageError` and leaves the outbox at once.
 * An `atMostOnce` publish (a transient ask) is the exception to the republishing: once written to
 * a channel, it is never written again; if that channel dies before the confirm, it fails with
 * `TransientMessageLostError`.
 */
export class Publisher {
  private readonly outbox = new Map<number, Outgoing>();
  private readonly mandatory = new Map<string, Outgoing>();
  private readonly channel: ManagedChannel<ConfirmChannel>;
  private sequence = 0;
  private closed = false;
  /** Totals for the node's metrics (`RabbitTransport.figures`). */
  readonly counts = { published: 0, confirmed: 0, nacked: 0 };
  /** A channel recycle scheduled after nacks (`nacks: 'retry'`), and how many in a row. */
  private recycle: Timer | undefined;
  private recycles = 0;

  constructor(
    private readonly manager: ConnectionManager,
    name: string,
    /**
     * What a nack means: 'reject', the queue is at its bound (`PublishNackedError`); 'retry', the
     * broker could not take it for now: on a cluster, where quorum mailboxes have no bound, RabbitMQ
     * 3.10.8 was seen to nack every publish of a channel after the queue's leader moved. The message
     * then stays in the outbox and goes again on a fresh channel, after a backoff.
     */
    private readonly nacks: 'reject' | 'retry' = 'reject',
  ) {
    this.channel = manager.channel<ConfirmChannel>(
      name,
      true,
      async (channel) => void channel.on('return', (message: Message) => this.returned(message)),
      (channel, generation) => this.republish(channel, generation),
    );
  }

  /** Messages waiting for a confirm. */
  get unconfirmed(): number {
    return this.outbox.size;
  }

  publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish, atMostOnce = false): Promise<void> {
    if (this.closed) return Promise.reject(new TransportClosedError('rabbitmq'));
    return new Promise<void>((resolve, reject) => {
      const entry: Outgoing = { exchange, routingKey, content, options, resolve, reject, sentOn: 0, returned: false, atMostOnce };
      const key = ++this.sequence;
      this.counts.published++;
      this.outbox.set(key, entry);
      const channel = this.channel.current;
      if (channel) this.send(channel, this.channel.generation, key, entry);
    });
  }

  /** Reports a publish failure that no caller waits for (e.g. a dead letter that found no way out). */
  report(error: Error): void {
    this.manager.report(this.channel.name, error);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.recycle?.cancel();
    await this.channel.close();
    for (const entry of this.outbox.values()) entry.reject(new TransportClosedError('rabbitmq'));
    this.outbox.clear();
  }

  private send(channel: ConfirmChannel, generation: number, key: number, entry: Outgoing): void {
    entry.sentOn = generation;
    entry.returned = false;
    if (entry.options.mandatory) this.mandatory.set(entry.options.messageId!, entry);
    try {
      channel.publish(entry.exchange, entry.routingKey, entry.content, entry.options, (error) => this.confirmed(key, generation, error));
    } catch (error) {
      // A closed channel: the entry stays in the outbox for the next channel.
      if ((error as Error).name === 'IllegalOperationError') return;
      // Anything else is the message itself, which no channel will ever take.
      this.forget(key, entry);
      entry.reject(new UnpublishableMessageError(entry.routingKey, error));
    }
  }

  private forget(key: number, entry: Outgoing): void {
    this.outbox.delete(key);
    if (entry.options.mandatory) this.mandatory.delete(entry.options.messageId!);
  }

  private confirmed(key: number, generation: number, error: Error | null): void {
    const entry = this.outbox.get(key);
    if (!entry || entry.sentOn !== generation) return;
    // 'channel closed' is not an answer from the broker: keep the entry for the next channel.
    if (error && error.message !== 'message nacked') return void (entry.atMostOnce && this.lost(key, entry));
    if (error && this.nacks === 'retry') {
      this.counts.nacked++;
      return this.recycleAfterNack(generation, entry.routingKey);
    }
    if (!error) this.recycles = 0;
    this.forget(key, entry);
    if (error) this.counts.nacked++;
    else this.counts.confirmed++;
    if (error) entry.reject(new PublishNackedError(entry.routingKey));
    else if (entry.returned) entry.reject(new UnknownAddressError(entry.routingKey));
    else entry.resolve();
  }

  /** Closes the channel that nacked, after a backoff: the managed channel opens a fresh one, which republishes the outbox. */
  private recycleAfterNack(generation: number, to: string): void {
    if (this.recycle || this.closed) return;
    // Seen in the transport's events (a channel-error), once per recycle.
    this.manager.report(this.channel.name, new PublishNackedError(to));
    this.recycle = this.manager.afterBackoff(this.recycles++, () => {
      this.recycle = undefined;
      const channel = this.channel.current;
      if (channel && this.channel.generation === generation) void this.manager.closeQuietly(channel);
    });
  }

  private returned(message: Message): void {
    const entry = this.mandatory.get(message.properties.messageId as string);
    if (entry) entry.returned = true;
  }

  /** An at-most-once entry whose channel died unconfirmed: the broker may have it or not; it is not sent again. */
  private lost(key: number, entry: Outgoing): void {
    this.forget(key, entry);
    entry.reject(new TransientMessageLostError(entry.routingKey));
  }

  private republish(channel: ConfirmChannel, generation: number): void {
    for (const [key, entry] of this.outbox) {
      if (entry.sentOn === generation) continue;
      // Written to an earlier channel (its 'channel closed' callback may not have come): never twice.
      if (entry.atMostOnce && entry.sentOn !== 0) this.lost(key, entry);
      else this.send(channel, generation, key, entry);
    }
  }
}
