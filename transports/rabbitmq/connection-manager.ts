import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { Subject } from 'rxjs';
import { type Timer } from '../../lib/index.ts';
import { ManagedChannel, type ChannelSetup } from './managed-channel.ts';
import type { ResolvedRabbitOptions } from './options.ts';
import { backoffDelay } from '../../lib/backoff.ts';
import { BrokerUnavailableError } from './errors.ts';
import { NodeRotation } from './node-rotation.ts';

/** What the connection manager reports, for logs, metrics and tests. */
export type RabbitEvent =
  | { kind: 'connected'; at: number; url: string }
  | { kind: 'disconnected'; at: number; error?: Error }
  | { kind: 'reconnect-scheduled'; at: number; attempt: number; delayMs: number }
  | { kind: 'channel-error'; at: number; channel: string; error: Error };

/**
 * Owns the one connection to the broker: connects, reconnects with backoff and jitter (through
 * the clock and random ports), to the next node of a cluster when given several (`NodeRotation`),
 * re-opens every managed channel in the order they were made, and is the single place where
 * amqplib's connection- and channel-closing errors are handled.
 */
export class ConnectionManager {
  connection: ChannelModel | undefined;
  readonly events = new Subject<RabbitEvent>();
  private readonly channels = new Set<ManagedChannel>();
  private readonly rotation: NodeRotation;
  /** The node the connection is on (its URL without the password), while connected. */
  url: string | undefined;
  private closing = false;
  private reconnectTimer: Timer | undefined;
  private everConnected = false;
  /** Connections made after the first (each after a loss): the node's `airlock_transport_reconnects_total`. */
  reconnects = 0;
  private firstConnection: Promise<void>;
  private connected!: () => void;

  constructor(readonly options: ResolvedRabbitOptions) {
    this.rotation = new NodeRotation(options.urls);
    this.firstConnection = new Promise((resolve) => (this.connected = resolve));
    void this.connect();
  }

  /** Resolves at the first connection; rejects if none came within `connectTimeoutMs`. */
  ready(): Promise<void> {
    if (this.connection) return Promise.resolve();
    let timer: Timer | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.options.clock.setTimer(this.options.connectTimeoutMs, () =>
        reject(new BrokerUnavailableError(this.options.urls.map(redact).join(', '), this.lastError ?? 'timed out')),
      );
    });
    return Promise.race([this.firstConnection, timeout]).finally(() => timer?.cancel());
  }

  /** A channel that follows the connection through reconnects; opened now if connected. */
  channel<C extends Channel>(
    name: string,
    confirm: boolean,
    setup: ChannelSetup<C>,
    opened?: (channel: C, generation: number) => void,
  ): ManagedChannel<C> {
    const channel = new ManagedChannel<C>(this, name, confirm, setup, opened);
    this.channels.add(channel as unknown as ManagedChannel);
    if (this.connection) void channel.open(this.connection);
    return channel;
  }

  forget(channel: ManagedChannel): void {
    this.channels.delete(channel);
  }

  /** Calls `fire` after the backoff for retry number `attempt` (0 first). */
  afterBackoff(attempt: number, fire: () => void): Timer {
    return this.options.clock.setTimer(backoffDelay(this.options.reconnect, attempt + 1, this.options.random), fire);
  }

  /**
   * The one place for amqplib's channel errors: an 'error' listener must exist or the emitter
   * throws; the error is reported and the 'close' that always follows triggers recovery.
   */
  guard(channel: Channel, name: string, onClose: () => void): void {
    channel.on('error', (error: Error) => this.report(name, error));
    channel.on('close', onClose);
  }

  report(channel: string, error: Error): void {
    this.lastError = error;
    this.events.next({ kind: 'channel-error', at: this.options.clock.now(), channel, error });
  }

  /**
   * Closes a channel or the connection, never waiting more than `CLOSE_WAIT_MS` for the broker's
   * answer: after a cluster node was lost, a broker was seen never to answer a close on the
   * connection that replaced it (the transport's `close` then hung for ever). A connection that
   * does not answer in time has its socket destroyed, which closes every channel on it.
   */
  async closeQuietly(target: Channel | ChannelModel): Promise<void> {
    let timer: Timer | undefined;
    const late = new Promise<'late'>((resolve) => (timer = this.options.clock.setTimer(CLOSE_WAIT_MS, () => resolve('late'))));
    try {
      const outcome = await Promise.race([target.close().then(() => 'closed' as const), late]);
      if (outcome === 'late' && 'createChannel' in target) destroySocket(target);
    } catch {
      // already closed, or the connection is gone: either way nothing is left to close
    } finally {
      timer?.cancel();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    this.reconnectTimer?.cancel();
    // Together, so a broker that does not answer costs one `CLOSE_WAIT_MS`, not one per channel.
    await Promise.all([...this.channels].reverse().map((channel) => channel.close()));
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await this.closeQuietly(connection);
    this.events.complete();
  }

  private lastError: Error | undefined;

  private async connect(): Promise<void> {
    if (this.closing) return;
    let connection: ChannelModel;
    const url = this.rotation.url;
    try {
      connection = await amqp.connect(url, {
        // Nagle's algorithm would hold small frames (acks, replies) for the peer's delayed ACK.
        noDelay: this.options.noDelay,
        clientProperties: { connection_name: `airlock:${this.options.namespace}` },
      });
    } catch (error) {
      this.lastError = error as Error;
      return this.scheduleReconnect();
    }
    if (this.closing) return void this.closeQuietly(connection);
    coalesceWrites(connection);
    connection.on('error', (error: Error) => (this.lastError = error));
    connection.on('close', (error?: Error) => this.lost(connection, error));
    this.connection = connection;
    this.url = redact(url);
    this.rotation.connected();
    // Declaring and consuming channels first, confirm (publishing) channels last: an unconfirmed ask
    // resent on the new connection needs its reply queue (exclusive, gone with the old one) declared
    // again first, or its answer is unroutable and the ask ends at its timeout.
    const channels = [...this.channels];
    for (const channel of channels) if (!channel.confirm) await channel.open(connection);
    for (const channel of channels) if (channel.confirm) await channel.open(connection);
    if (this.connection !== connection) return;
    if (this.everConnected) this.reconnects++;
    this.everConnected = true;
    this.events.next({ kind: 'connected', at: this.options.clock.now(), url: this.url });
    this.connected();
  }

  private lost(connection: ChannelModel, error: Error | undefined): void {
    if (connection !== this.connection) return;
    this.connection = undefined;
    this.url = undefined;
    for (const channel of this.channels) channel.connectionLost();
    this.events.next({ kind: 'disconnected', at: this.options.clock.now(), error });
    if (!this.closing) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closing) return;
    const attempt = this.rotation.failed();
    const delayMs = backoffDelay(this.options.reconnect, attempt + 1, this.options.random);
    this.events.next({ kind: 'reconnect-scheduled', at: this.options.clock.now(), attempt, delayMs });
    this.reconnectTimer = this.options.clock.setTimer(delayMs, () => void this.connect());
  }
}

/**
 * amqplib's muxer hands the socket every frame ready in a turn (each channel's messages, acks,
 * confirms) with a `write` of its own, a syscall each: under the split broker's load, the
 * largest single cost of a process's CPU. Corked for the turn, they leave as one `writev`, at
 * the end of the same turn: the same bytes in the same order, no later, and `write` still
 * answers the muxer's backpressure question as it did (the buffered length against the high
 * water mark). An amqplib whose internals are not as expected is left as it is.
 */
export function coalesceWrites(model: ChannelModel): void {
  const connection = (model as unknown as { connection?: { muxer?: { _readIncoming?: () => void }; stream?: { cork?: () => void; uncork?: () => void } } }).connection;
  const muxer = connection?.muxer;
  const stream = connection?.stream;
  const readIncoming = muxer?._readIncoming;
  if (!muxer || !stream || typeof readIncoming !== 'function' || typeof stream.cork !== 'function' || typeof stream.uncork !== 'function') return;
  muxer._readIncoming = function (this: unknown) {
    stream.cork!();
    try {
      readIncoming.call(this);
    } finally {
      stream.uncork!();
    }
  };
}

/**
 * How long a close waits for the broker's close-ok before giving up on it: a broker answers within
 * milliseconds when it answers at all; 5 s is far beyond any pause of a loaded broker.
 */
const CLOSE_WAIT_MS = 5_000;

/** The last resort for a connection whose broker does not answer its close. */
function destroySocket(model: ChannelModel): void {
  (model as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream?.destroy?.();
}

/** The URL without its password, for error messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
