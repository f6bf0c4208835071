import type { Address } from './address.ts';
import type { Envelope } from './envelope.ts';
import { MailboxFullError } from './errors.ts';
import { DEFAULT_MAX_WAITING, type Mailbox, type MailboxOptions, type Route, type Settlement, type SettleOutcome } from './ports/transport.ts';
import { RingQueue } from './ring-queue.ts';

/** The one promise every accepted in-memory send returns: no allocation on the hot path. */
export const ACCEPTED: Promise<void> = Promise.resolve();

/** A rejected promise that does not count as unhandled when the sender never awaits it. */
export function rejection(error: Error): Promise<never> {
  const promise = Promise.reject(error);
  promise.catch(() => {});
  return promise;
}

interface WaitingSender {
  envelope: Envelope;
  accepted: () => void;
}

/**
 * A bounded in-memory mailbox: ring buffers, so taking and adding are O(1) with no shifting, for
 * the messages and, under backpressure, for the senders waiting for room (bounded too).
 * It is also the route to itself, so a ref that cached it sends with no lookup at all.
 */
export class BoundedMailbox implements Mailbox, Route {
  private readonly messages: RingQueue<Envelope>;
  /** Senders held under backpressure: made when the first one waits, so most mailboxes never have it. */
  private waitingSenders: RingQueue<WaitingSender> | undefined;
  private ready: (() => void) | undefined;
  private closed = false;

  constructor(
    readonly address: Address,
    private readonly options: MailboxOptions,
  ) {
    this.messages = new RingQueue(options.capacity);
  }

  private get maxWaiting(): number {
    return this.options.maxWaiting ?? DEFAULT_MAX_WAITING;
  }

  private get waiting(): RingQueue<WaitingSender> {
    return (this.waitingSenders ??= new RingQueue(this.maxWaiting));
  }

  get depth(): number {
    return this.messages.length;
  }

  get open(): boolean {
    return !this.closed;
  }

  send(envelope: Envelope): Promise<void> {
    if (this.messages.length < this.options.capacity) {
      this.messages.push(envelope);
      // Only the first message wakes the consumer: it drains until empty, or reschedules itself.
      if (this.messages.length === 1) this.ready?.();
      return ACCEPTED;
    }
    if (this.options.overflow === 'reject' || (this.waitingSenders?.length ?? 0) >= this.maxWaiting) {
      return rejection(new MailboxFullError(this.address, this.options.capacity));
    }
    return new Promise<void>((accepted) => this.waiting.push({ envelope, accepted }));
  }

  attach(ready: () => void): void {
    this.ready = ready;
    if (this.messages.length > 0) ready();
  }

  detach(): void {
    this.ready = undefined;
  }

  take(): Envelope | undefined {
    const envelope = this.messages.shift();
    if (this.waitingSenders !== undefined && this.waitingSenders.length > 0) this.admitWaiting();
    return envelope;
  }

  /** In memory a message is handled at most once: a failed one is dead-lettered, never retried. */
  settle(_envelope: Envelope, settlement: Settlement): SettleOutcome {
    return settlement.handled ? 'done' : 'dead-lettered';
  }

  close(): Envelope[] {
    this.closed = true;
    this.ready = undefined;
    const left: Envelope[] = [];
    for (let envelope = this.take(); envelope; envelope = this.take()) left.push(envelope);
    // Senders held by backpressure get their message back as dead letters, not a hang.
    for (let sender = this.waitingSenders?.shift(); sender; sender = this.waitingSenders?.shift()) {
      left.push(sender.envelope);
      sender.accepted();
    }
    return left;
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.messages.length < this.options.capacity) {
      const sender = this.waiting.shift()!;
      this.messages.push(sender.envelope);
      sender.accepted();
    }
  }
}
