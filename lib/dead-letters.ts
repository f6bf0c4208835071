import type { Address } from './address.ts';
import { ERROR_REPLY_TYPE, REPLY_TYPE, type Envelope } from './envelope.ts';
import { AirlockError, ActorCrashedError } from './errors.ts';
import type { SystemEvent } from './events.ts';
import type { Clock } from './ports/clock.ts';

/** What the system needs to record a message that went nowhere. */
export interface DeadLetterSink {
  readonly clock: Clock;
  emit(event: SystemEvent): void;
  replyError(request: Envelope, error: Error): void;
  /** Counts a dead letter against the actor at `at`, if one lives here (its live figures). */
  countDeadLetter(at: Address): void;
  /** Counts a refusal against the actor at `at`, if one lives here. */
  countRefused(at: Address): void;
}

/**
 * The messages nobody will handle, one system's record of them: each is counted and published
 * (`rejected`, `dead-lettered`, `reply-dropped`), and an asker waiting on a dead letter is
 * answered with the reason at once instead of waiting out its timeout.
 */
export class DeadLetters {
  readonly counters = { deadLettered: 0, rejected: 0, droppedReplies: 0 };

  constructor(private readonly sink: DeadLetterSink) {}

  /** A message nobody will handle; an asker waiting on it is answered with the reason. */
  deadLetter(envelope: Envelope, reason: Error, at: Address): void {
    this.counters.deadLettered++;
    this.sink.countDeadLetter(at);
    this.sink.emit({ kind: 'dead-lettered', address: at, at: this.sink.clock.now(), envelope, reason });
    if (envelope.replyTo !== undefined && envelope.type !== REPLY_TYPE && envelope.type !== ERROR_REPLY_TYPE) {
      this.sink.replyError(envelope, reason instanceof AirlockError ? reason : new ActorCrashedError(at, reason));
    }
  }

  /** A message refused before it reached the receiver (a wrong body, a full mailbox, a parked actor). */
  reject(envelope: Envelope, reason: Error): void {
    this.counters.rejected++;
    this.sink.countRefused(envelope.to);
    this.sink.emit({ kind: 'rejected', address: envelope.to, at: this.sink.clock.now(), envelope, reason });
  }

  /** Bytes a transport refused on arrival: rejected and dead-lettered, as an envelope when they decoded to one. */
  refused(address: Address, reason: Error, envelope: Envelope | undefined, frame: Uint8Array | undefined): void {
    if (envelope) {
      this.reject(envelope, reason);
      return this.deadLetter(envelope, reason, address);
    }
    this.counters.rejected++;
    this.counters.deadLettered++;
    this.sink.countRefused(address);
    this.sink.countDeadLetter(address);
    const at = this.sink.clock.now();
    this.sink.emit({ kind: 'rejected', address, at, reason });
    this.sink.emit({ kind: 'dead-lettered', address, at, frame, reason });
  }

  /** A reply that reaches no pending ask: counted and published, never delivered anywhere else. */
  dropReply(reply: Envelope, reason: Error): void {
    this.counters.droppedReplies++;
    this.sink.emit({ kind: 'reply-dropped', address: reply.to, at: this.sink.clock.now(), envelope: reply, reason });
  }
}
