import type { Channel, ConsumeMessage, Options } from 'amqplib';
import {
  ActorCrashedError,
  DeliveryAttemptsExceededError,
  DedupeWindow,
  admitFrame,
  isDurableDedupe,
  UNVALIDATED,
  type Admission,
  type DedupeClaim,
  type DedupeMemory,
  type DurableDedupe,
  type AdmissionGate,
  type Address,
  type AnyProtocol,
  type Envelope,
  type Mailbox,
  type Settlement,
  type SettleOutcome,
  type TransportListener,
} from '../../lib/index.ts';
import { AckTracker, type AckEntry, type Verdict } from './ack-tracker.ts';
import type { ConnectionManager } from './connection-manager.ts';
import type { DeadLetters } from './dead-letters.ts';
import { earlierDeliveries } from './delivery-count.ts';
import { checkIncomingHeaders } from './incoming-headers.ts';
import type { ManagedChannel } from './managed-channel.ts';
import { ClaimQueue } from './claim-queue.ts';
import type { DedupeStore } from './options.ts';
import { queueMismatch } from './queue-arguments.ts';
import { QueueMismatchError } from './errors.ts';

/** A message the broker delivered, with the channel it must be acknowledged on. */
interface Delivery {
  readonly envelope: Envelope;
  readonly message: ConsumeMessage;
  readonly acks: AckTracker;
  readonly ack: AckEntry;
  readonly generation: number;
  /** Its claim on a durable dedupe store, from when it was claimed until it is settled. */
  claim?: DedupeClaim;
}

export interface RabbitMailboxSettings {
  readonly exchange: string;
  readonly queue: string;
  readonly queueOptions: Options.AssertQueue;
  readonly prefetch: number;
  /** The broker forgets a message once delivered (replies: they die with their node anyway). */
  readonly autoAck: boolean;
  /** Deliveries of one message whose handling never finished before it is dead-lettered unhandled. */
  readonly maxAttempts: number;
  readonly maxFrameBytes: number;
  readonly dedupe: DedupeStore;
  readonly deadLetters: DeadLetters;
  readonly listeners: ReadonlySet<TransportListener>;
  readonly stats: { duplicates: number; refused: number; dedupeUnavailable: number; redelivered: number };
  /** Resolves once an earlier mailbox of this address, freed for good, has had its queue deleted (or kept). */
  readonly freeing: () => Promise<void> | undefined;
  /** This address is freed for good: `closed` resolves once this mailbox's channel is closed. */
  readonly freed: (closed: Promise<void>) => void;
  /** This mailbox closed: the transport's registry forgets it. */
  readonly released: (mailbox: RabbitMailbox) => void;
}

/**
 * One actor's mailbox in RabbitMQ: a queue bound to the exchange under the actor's address and
 * consumed with a prefetch on a channel of its own. A delivery is decoded and validated before
 * `take` can return it (what fails goes to the dead-letter queue with its reason), acknowledged
 * only after the handler finished, and dropped if its envelope id was already handled (asked of
 * the dedupe window when taken, or, with a durable dedupe store, claimed there before it is handed
 * over and acknowledged once that claim is committed: see claim-queue.ts). One rule
 * on every transport: a message whose handler crashed is dead-lettered once; one whose handling
 * never finished (its process or connection died) is delivered again, up to `maxAttempts` times.
 */
export class RabbitMailbox implements Mailbox {
  private buffer: Delivery[] = [];
  private readonly taken = new Map<Envelope, Delivery>();
  private readonly channel: ManagedChannel;
  private ready: (() => void) | undefined;
  private closed = false;
  private readonly maxHeaderBytes: number;
  private readonly gate: AdmissionGate;
  private mismatch: QueueMismatchError | undefined;
  private readonly mismatchWaiters: ((error: Error) => void)[] = [];
  /** Not consuming by request (`pause`): the queue is declared and bound, another node takes its messages. */
  private paused = false;
  private consumerTag: string | undefined;
  private closing: Promise<void> = Promise.resolve();
  /** The ids handled here, when the store answers at once (the default); else a fresh window for replies. */
  private readonly memory: DedupeMemory | undefined;
  /** Deliveries on their way through a durable dedupe store (claim, handle, commit, ack), when one is given. */
  private readonly claims: ClaimQueue<Delivery> | undefined;

  constructor(
    readonly address: Address,
    protocol: AnyProtocol | undefined,
    private readonly settings: RabbitMailboxSettings,
    manager: ConnectionManager,
  ) {
    this.maxHeaderBytes = manager.options.maxHeaderBytes;
    this.gate = { maxFrameBytes: settings.maxFrameBytes, mailbox: address, protocolAt: () => protocol ?? UNVALIDATED };
    const { dedupe } = settings;
    // Replies are auto-acknowledged and die with their node: a durable record of them would serve nobody.
    if (!isDurableDedupe(dedupe)) this.memory = dedupe;
    else if (settings.autoAck) this.memory = new DedupeWindow();
    else this.claims = this.claimQueue(dedupe, manager);
    this.channel = manager.channel<Channel>(`mailbox ${address}`, false, (channel, generation) => this.consume(channel, generation));
  }

  get depth(): number {
    return this.buffer.length;
  }

  get consuming(): boolean {
    return this.channel.isOpen;
  }

  /** Resolves once the queue is declared and consumed; rejects while it exists with other arguments (bounds). */
  whenConsuming(): Promise<void> {
    if (this.channel.isOpen) return Promise.resolve();
    if (this.mismatch) return Promise.reject(this.mismatch);
    return new Promise((resolve, reject) => {
      this.mismatchWaiters.push(reject);
      void this.channel.whenOpen().then(resolve);
    });
  }

  /** Remembers a queue-arguments mismatch for `whenConsuming`; the channel retries with backoff meanwhile. */
  private mismatched(error: unknown): unknown {
    if (!(error instanceof QueueMismatchError)) return error;
    this.mismatch = error;
    for (const reject of this.mismatchWaiters.splice(0)) reject(error);
    return error;
  }

  attach(ready: () => void): void {
    this.ready = ready;
    if (this.buffer.length > 0) ready();
  }

  detach(): void {
    this.ready = undefined;
  }

  take(): Envelope | undefined {
    for (let delivery = this.buffer.shift(); delivery; delivery = this.buffer.shift()) {
      // A claimed delivery is known new: the store said so.
      if (!delivery.claim && this.memory!.has(delivery.envelope.id)) {
        this.settings.stats.duplicates++;
        this.ack(delivery);
        continue;
      }
      this.taken.set(delivery.envelope, delivery);
      return delivery.envelope;
    }
    return undefined;
  }

  settle(envelope: Envelope, settlement: Settlement): SettleOutcome {
    const delivery = this.taken.get(envelope);
    if (!delivery) return settlement.handled ? 'done' : 'dead-lettered';
    this.taken.delete(envelope);
    if (delivery.claim) return this.settleClaimed(delivery, delivery.claim, settlement);
    const attempts = envelope.attempt + 1;
    if (!settlement.handled && settlement.abandoned && attempts < this.settings.maxAttempts) {
      // Still unacknowledged, so a crash of this process hands it to the broker again anyway.
      envelope.attempt = attempts;
      this.buffer.unshift(delivery);
      return 'retry';
    }
    this.memory!.add(envelope.id);
    if (settlement.handled) {
      this.ack(delivery);
      return 'done';
    }
    return this.deadLetterUnhandled(delivery, settlement, attempts);
  }

  /** A handler that crashed on it would only crash again: dead-lettered at once; so is one delivered `maxAttempts` times. */
  private deadLetterUnhandled(delivery: Delivery, settlement: Settlement & { handled: false }, attempts: number): SettleOutcome {
    const reason = settlement.abandoned ? new DeliveryAttemptsExceededError(this.address, attempts) : new ActorCrashedError(this.address, settlement.error);
    this.deadLetter(delivery, reason, { envelopeId: delivery.envelope.id, attempts });
    return 'dead-lettered';
  }

  /**
   * A claimed delivery, handled: acknowledged once its claim is committed. Not handled: its claim
   * is released (a transaction's writes roll back), then it is delivered again in this process
   * (abandoned) or dead-lettered (crashed), as without a durable store.
   */
  private settleClaimed(delivery: Delivery, claim: DedupeClaim, settlement: Settlement): SettleOutcome {
    const claims = this.claims!;
    delivery.claim = undefined;
    if (settlement.handled) {
      claims.committed(delivery, claim, () => this.ack(delivery));
      return 'done';
    }
    const { envelope } = delivery;
    if (claim.lostWith?.(settlement.error)) {
      // Not the handler's fault: the database it writes in went away. Handled again once it is back.
      claims.interrupted(delivery, claim, settlement.error);
      return 'retry';
    }
    const attempts = envelope.attempt + 1;
    if (settlement.abandoned && attempts < this.settings.maxAttempts) {
      envelope.attempt = attempts;
      claims.released(claim, delivery);
      return 'retry';
    }
    claims.released(claim);
    return this.deadLetterUnhandled(delivery, settlement, attempts);
  }

  /** Cancels the consumer and hands what it was delivered and did not take back to the broker. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.dropBuffered();
    const channel = this.channel.current as Channel | undefined;
    const tag = this.consumerTag;
    this.consumerTag = undefined;
    if (channel && tag) void channel.cancel(tag).then(() => channel.recover()).catch(() => {});
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    const channel = this.channel.current as Channel | undefined;
    // A consume that fails leaves the channel for a fresh one, whose setup consumes (not paused now).
    if (channel) void this.startConsuming(channel, this.channel.generation).catch(() => channel.close().catch(() => {}));
  }

  /** Stops consuming; what was delivered but not acknowledged goes back to the queue, not away. */
  close(): Envelope[] {
    this.closed = true;
    this.ready = undefined;
    this.dropBuffered();
    this.claims?.close();
    this.closing = this.channel.close();
    this.settings.released(this);
    return [];
  }

  /** The address is freed for good: once the channel is closed (its deliveries back in the queue), the transport deletes the queue if nobody needs it. */
  free(): void {
    this.settings.freed(this.closing);
  }

  // ---- consuming --------------------------------------------------------------------------

  private async consume(channel: Channel, generation: number): Promise<void> {
    const { queue, queueOptions, exchange, prefetch, autoAck } = this.settings;
    this.consumerTag = undefined;
    // Deliveries of the previous channel can no longer be acknowledged: the broker resends them.
    const current = this.buffer.filter((delivery) => delivery.generation === generation);
    for (const delivery of this.buffer) if (delivery.generation !== generation && delivery.claim) this.claims!.released(delivery.claim);
    this.buffer = current;
    this.claims?.clear();
    // A queue being deleted for an earlier actor of this address is gone (or kept) first, never deleted under this one.
    await this.settings.freeing();
    // Declared by those who may dead-letter, so a node that only asks (a CLI) leaves no queue behind.
    if (!autoAck) await channel.assertQueue(this.settings.deadLetters.queue, this.settings.deadLetters.declaration);
    try {
      await channel.assertQueue(queue, queueOptions);
    } catch (error) {
      throw this.mismatched(queueMismatch(queue, error));
    }
    this.mismatch = undefined;
    this.mismatchWaiters.length = 0;
    await channel.bindQueue(queue, exchange, this.address);
    await channel.prefetch(prefetch);
    if (!this.paused) await this.startConsuming(channel, generation);
  }

  private async startConsuming(channel: Channel, generation: number): Promise<void> {
    const acks = new AckTracker(channel);
    const { consumerTag } = await channel.consume(this.settings.queue, (message) => this.arrived(channel, acks, generation, message), { noAck: this.settings.autoAck });
    // Paused while the consumer was being registered: give it up at once.
    if (this.paused) return void channel.cancel(consumerTag).then(() => channel.recover()).catch(() => {});
    this.consumerTag = consumerTag;
  }

  private arrived(channel: Channel, acks: AckTracker, generation: number, message: ConsumeMessage | null): void {
    // null: the broker cancelled the consumer (the queue was deleted); a fresh channel re-declares it.
    if (message === null) return void channel.close().catch(() => {});
    if (this.closed) return;
    if (message.fields.redelivered) this.settings.stats.redelivered++;
    const delivery = this.admit(message, acks, generation);
    if (!delivery) return;
    if (this.claims) return this.claims.push(delivery);
    if (!this.abandoned(delivery)) this.accept(delivery);
  }

  /** A delivery known new (or to be checked when taken): to the actor (true), unless its system answers it at once. */
  private accept(delivery: Delivery): boolean {
    if (delivery.envelope.replyTo !== undefined && this.answeredAtOnce(delivery.envelope)) {
      this.ack(delivery);
      return false;
    }
    this.buffer.push(delivery);
    this.ready?.();
    return true;
  }

  /** Admits a delivery (headers bounded, then `admitFrame`); anything refused is dead-lettered, never delivered. */
  private admit(message: ConsumeMessage, acks: AckTracker, generation: number): Delivery | undefined {
    const ack = this.settings.autoAck ? DONE : acks.track(message);
    let admission: Admission;
    try {
      checkIncomingHeaders(message, this.maxHeaderBytes);
      admission = admitFrame(message.content, this.gate);
    } catch (error) {
      admission = { refused: error as Error, envelope: undefined };
    }
    const { envelope } = admission;
    if (!admission.refused) return { envelope: admission.envelope, message, acks, ack, generation };
    this.refuse({ envelope: envelope ?? placeholder(this.address), message, acks, ack, generation }, admission.refused, envelope);
    return undefined;
  }

  /**
   * A message the broker delivered `maxAttempts` times before, its handling never finished, is
   * dead-lettered unhandled (an asker is answered with the reason), unless it was handled here.
   */
  private abandoned(delivery: Delivery): boolean {
    if (this.settings.autoAck) return false;
    const { envelope, message } = delivery;
    const earlier = earlierDeliveries(message);
    envelope.attempt = Math.max(envelope.attempt, earlier);
    if (earlier < this.settings.maxAttempts || this.memory?.has(envelope.id)) return false;
    this.memory?.add(envelope.id);
    const reason = new DeliveryAttemptsExceededError(this.address, earlier);
    this.deadLetter(delivery, reason, { envelopeId: envelope.id, attempts: earlier });
    for (const listener of this.settings.listeners) listener.refused(this.address, reason, envelope, undefined);
    return true;
  }

  /** What the mailbox does at each step of a durable store's claims. */
  private claimQueue(store: DurableDedupe, manager: ConnectionManager): ClaimQueue<Delivery> {
    const { clock, random, reconnect } = manager.options;
    return new ClaimQueue<Delivery>({
      store,
      address: this.address,
      clock,
      random,
      backoff: reconnect,
      duplicate: (delivery) => {
        this.settings.stats.duplicates++;
        this.ack(delivery);
      },
      claimed: (delivery, claim) => {
        // Claimed, so not handled before: one delivered too often is dead-lettered unhandled.
        if (this.abandoned(delivery)) return this.claims!.released(claim);
        delivery.claim = claim;
        // Answered at once (its actor is kept down): nothing was handled, the claim is given up.
        if (!this.accept(delivery)) this.claims!.released(claim);
      },
      // The store reports its own failures (typed); the delivery waits, unacknowledged.
      unavailable: () => void this.settings.stats.dedupeUnavailable++,
      stale: (delivery) => this.closed || delivery.generation !== this.channel.generation,
    });
  }

  /** Empties the buffer; claims held by what it held are given up (the broker delivers those again). */
  private dropBuffered(): void {
    for (const delivery of this.buffer) if (delivery.claim) this.claims!.released(delivery.claim);
    this.buffer = [];
    this.claims?.clear();
  }

  /** An ask for an actor its supervisor keeps down is answered by its system at once, not left to time out. */
  private answeredAtOnce(envelope: Envelope): boolean {
    for (const listener of this.settings.listeners) if (listener.answeredAtOnce?.(envelope)) return true;
    return false;
  }

  private refuse(delivery: Delivery, reason: Error, envelope: Envelope | undefined): void {
    this.settings.stats.refused++;
    this.deadLetter(delivery, reason, { envelopeId: envelope?.id });
    const frame = envelope ? undefined : new Uint8Array(delivery.message.content);
    for (const listener of this.settings.listeners) listener.refused(this.address, reason, envelope, frame);
  }

  private deadLetter(delivery: Delivery, reason: Error, detail: { envelopeId?: string; attempts?: number }): void {
    const context = { address: this.address, queue: this.settings.queue, ...detail };
    // Settled whatever becomes of the copy, so it never holds back the acks after it.
    void this.settings.deadLetters.send(delivery.message, reason, context).then((verdict) => this.ack(delivery, verdict));
  }

  private ack(delivery: Delivery, verdict: Verdict = 'ack'): void {
    // A delivery tag means something only on the channel that delivered it, while it lives.
    if (this.settings.autoAck || delivery.generation !== this.channel.generation) return;
    delivery.acks.done(delivery.ack, verdict);
  }
}

/** The ack entry of auto-acknowledged deliveries: nothing to send. */
const DONE: AckEntry = { message: undefined as never, done: true };

/** Stands in for the envelope of bytes that never decoded into one. */
function placeholder(address: Address): Envelope {
  return { id: '', to: address, type: '', body: undefined, attempt: 0 };
}
