import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import type { Timer } from '../../lib/index.ts';
import type { ConnectionManager } from './connection-manager.ts';

/** What a managed channel runs on every (re)open: declare, set prefetch, consume, republish. */
export type ChannelSetup<C extends Channel> = (channel: C, generation: number) => Promise<void>;

/**
 * A channel that re-creates itself: after its connection comes back (the manager re-opens it),
 * or on its own, with backoff, when the broker closed just this channel (e.g. a failed declare).
 * `generation` changes with every channel, so work tied to an old channel (delivery tags,
 * confirms) can tell it is stale.
 */
export class ManagedChannel<C extends Channel = Channel> {
  current: C | undefined;
  generation = 0;
  private closed = false;
  private attempt = 0;
  private retry: Timer | undefined;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly manager: ConnectionManager,
    readonly name: string,
    /** A confirm channel: what publishes (reopened after the consuming ones on a reconnect). */
    readonly confirm: boolean,
    private readonly setup: ChannelSetup<C>,
    /** Runs once the channel is current, for work that must see `current` set. */
    private readonly opened?: (channel: C, generation: number) => void,
  ) {}

  get isOpen(): boolean {
    return this.current !== undefined;
  }

  /** Resolves once the channel is open and set up. */
  whenOpen(): Promise<void> {
    if (this.current || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Opens a channel on `connection` and runs the setup; failures schedule a retry. */
  async open(connection: ChannelModel): Promise<void> {
    if (this.closed) return;
    this.retry?.cancel();
    const generation = ++this.generation;
    let channel: C | undefined;
    try {
      channel = (this.confirm ? await connection.createConfirmChannel() : await connection.createChannel()) as C;
      this.manager.guard(channel, this.name, () => this.lost(generation));
      await this.setup(channel, generation);
    } catch (error) {
      this.manager.report(this.name, error as Error);
      if (generation === this.generation) this.lost(generation);
      return;
    }
    if (generation !== this.generation || this.closed) return void this.manager.closeQuietly(channel);
    this.current = channel;
    this.attempt = 0;
    this.opened?.(channel, generation);
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** The connection went away: the manager re-opens every channel once it is back. */
  connectionLost(): void {
    this.generation++;
    this.current = undefined;
    this.retry?.cancel();
  }

  /** This channel closed; if the connection lives on, open another after a backoff. */
  private lost(generation: number): void {
    if (generation !== this.generation) return;
    this.generation++;
    this.current = undefined;
    if (this.closed) return;
    const connection = this.manager.connection;
    if (!connection) return;
    this.retry = this.manager.afterBackoff(this.attempt++, () => {
      if (this.manager.connection === connection) void this.open(connection);
    });
  }

  /** Closes the channel for good; the broker requeues whatever it delivered and was not acked. */
  async close(): Promise<void> {
    this.closed = true;
    this.retry?.cancel();
    const channel = this.current;
    this.current = undefined;
    this.generation++;
    for (const resolve of this.waiters.splice(0)) resolve();
    if (channel) await this.manager.closeQuietly(channel);
    this.manager.forget(this as unknown as ManagedChannel);
  }
}

export type ManagedConfirmChannel = ManagedChannel<ConfirmChannel>;
