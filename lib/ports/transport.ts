import type { Address } from '../address.ts';
import type { Envelope } from '../envelope.ts';
import type { AnyProtocol } from '../protocol.ts';
import type { Lease } from './leases.ts';

export type OverflowPolicy = 'reject' | 'backpressure';

export interface MailboxOptions {
  /** Most messages waiting at once. */
  capacity: number;
  /** When full: reject the send with `MailboxFullError`, or hold the sender's promise until room frees up. */
  overflow: OverflowPolicy;
  /**
   * Under `backpressure`, most senders held waiting at once (default `DEFAULT_MAX_WAITING`);
   * one more is rejected with `MailboxFullError`, so waiting senders cannot exhaust memory.
   */
  maxWaiting?: number;
}

export const DEFAULT_MAILBOX: MailboxOptions = { capacity: 10_000, overflow: 'reject' };

export const DEFAULT_MAX_WAITING = 10_000;

/**
 * Deliveries of one message whose handling never finished (the process or the connection that
 * held it died first) before a durable transport dead-letters it unhandled, shared by every
 * durable transport (RabbitMQ, the simulated broker) so a topology behaves the same in both. A
 * message whose handler crashed is not delivered again on any transport: it is dead-lettered once.
 */
export const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * What became of a message the consumer took: handled; its handler crashed on it
 * (`abandoned: false`: dead-lettered on every transport, never handled again); or its handling
 * never finished because the actor was stopped, killed or failed elsewhere first (`abandoned:
 * true`: a durable transport delivers it again, up to `maxAttempts` deliveries in all).
 */
export type Settlement = { handled: true } | { handled: false; error: Error; abandoned: boolean };

/** Where a message went once settled: handled, to the dead letters, or back to be delivered again. */
export type SettleOutcome = 'done' | 'dead-lettered' | 'retry';

/**
 * One actor's mailbox, owned by the transport. It outlives the actor's incarnations: a restart
 * detaches the old consumer and attaches the new one, and the waiting messages stay.
 */
export interface Mailbox {
  readonly address: Address;
  /** Messages waiting to be taken. */
  readonly depth: number;
  /**
   * The route to this very mailbox, when the mailbox is its own route (in-process): the actor's own
   * ref starts with it, so its first send needs no lookup (a lookup among 100,000 mailboxes was
   * ~40 % of a first message's cost). Optional: other transports resolve routes on first send.
   */
  readonly ownRoute?: Route;
  /** Registers the one consumer; `ready` is called whenever a message arrives. */
  attach(ready: () => void): void;
  detach(): void;
  /** The next message, or undefined when none waits. */
  take(): Envelope | undefined;
  /** Must be called once for every taken message, after the handler finished. */
  settle(envelope: Envelope, settlement: Settlement): SettleOutcome;
  /** Removes the mailbox; returns the messages that were still waiting. */
  close(): Envelope[];
  /**
   * Called after `close` when the address is freed for good (its actor removed: a dynamic child
   * stopped, a deleted child), never when the system stops. A durable transport deletes the queue
   * nobody needs any more (unless another node consumes it or messages wait in it), so an ask to
   * the address fails at once with `UnknownAddressError` there as it does in-process, instead of
   * waiting in a queue nobody reads. Optional: an in-process mailbox is gone once closed.
   */
  free?(): void;
  /**
   * Stops taking messages from a queue other nodes share (a standby child while its node does not
   * hold the lease): what it holds unhandled goes back to the queue for the active node. Optional:
   * a mailbox no other node consumes has nothing to give back.
   */
  pause?(): void;
  /** Takes messages again after `pause`. */
  resume?(): void;
}

/** Sends to one address. Refs cache their route; a closed route is resolved again. */
export interface Route {
  readonly open: boolean;
  /**
   * The receiver's protocol, when the transport hands over the very object sent (never bytes):
   * the system then checks each message against it before sending, as bytes are checked on arrival.
   */
  readonly protocol?: AnyProtocol;
  /** Resolves once the transport owns the message (queued in-process, or confirmed by a broker). */
  send(envelope: Envelope): Promise<void>;
}

/**
 * Where a transport reports bytes it refused on arrival (undecodable, invalid, misaddressed):
 * the system counts them as rejected and dead-lettered and publishes both events.
 */
export interface TransportListener {
  refused(address: Address, reason: Error, envelope: Envelope | undefined, frame: Uint8Array | undefined): void;
  /**
   * An ask arrived for `envelope.to`: true when the system answered it at once itself (its actor is
   * kept down by its supervisor), so the transport settles the delivery instead of queueing it.
   */
  answeredAtOnce?(envelope: Envelope): boolean;
}

/**
 * Where mailboxes live. The in-process transport keeps them in arrays; a durable one keeps
 * them in a broker, delivers at least once and redelivers what was taken but never settled.
 */
export interface Transport {
  readonly name: string;
  /** True when messages cross process boundaries as bytes and must be validated on arrival. */
  readonly encodes: boolean;
  openMailbox(address: Address, options: MailboxOptions, protocol: AnyProtocol | undefined): Mailbox;
  /** The route to `address`, or undefined when the transport knows no such mailbox. */
  route(address: Address): Route | undefined;
  close(): Promise<void>;
  /** Transports that decode bytes on arrival report what they refused here (the system listens). */
  listen?(listener: TransportListener): void;
  /** Transports whose broker can elect one holder among nodes (RabbitMQ) contend for the lease `name` here. */
  elect?(name: string): Lease;
  /** Its running totals, for the node's metrics: only what this transport has (in memory: none). */
  figures?(): TransportFigures;
  /**
   * Transports shared by processes (RabbitMQ) answer roll calls with the nodes announced here,
   * until the announcement is closed or the connection goes: how an observer finds the nodes of a
   * namespace that no single machine lists.
   */
  announce?(node: string): Announcement;
  /** The nodes announced anywhere on this transport's broker and namespace (see `announce`). */
  rollCall?(options?: RollCallOptions): Promise<RollCallResult>;
}

/** A node's presence on a shared transport; `close` withdraws it (its process keeps running). */
export interface Announcement {
  close(): void;
}

export interface RollCallOptions {
  /** How long to collect answers (ms): every process answering in time is counted. */
  windowMs?: number;
}

export interface RollCallResult {
  /** The nodes that answered, by name. */
  nodes: string[];
  /** Answers refused as malformed (not from an airlock node of this version, or forged). */
  refused: number;
}

/** A transport's totals since it was made; each is present only where the transport has the notion. */
export interface TransportFigures {
  /** Messages handed to the broker, and of those confirmed or refused (nacked) by it. */
  published?: number;
  confirmed?: number;
  nacked?: number;
  /** Published, not yet confirmed. */
  unconfirmed?: number;
  /** Deliveries the broker flagged as delivered before; and those dropped as duplicates by the dedupe window. */
  redelivered?: number;
  duplicates?: number;
  /** Deliveries refused on arrival (malformed, oversized, invalid). */
  refused?: number;
  /** Connections made after the first one was lost. */
  reconnects?: number;
}
