import { backoffDelay, type Address, type BackoffOptions, type Clock, type DedupeClaim, type DurableDedupe, type Envelope, type Random, type Timer } from '../../lib/index.ts';

/** What a claim queue holds: a delivery, by its envelope. */
export interface Claimable {
  readonly envelope: Envelope;
}

export interface ClaimQueueSettings<T extends Claimable> {
  readonly store: DurableDedupe;
  readonly address: Address;
  readonly clock: Clock;
  readonly random: Random;
  /** Between claims (or commits) the store could not answer: the reconnect backoff. */
  readonly backoff: BackoffOptions;
  /** Its id was handled before: acknowledge it, drop it. */
  readonly duplicate: (delivery: T) => void;
  /** Claimed: hand it to the actor (or dead-letter it); `settled` once its claim is committed or released. */
  readonly claimed: (delivery: T, claim: DedupeClaim) => void;
  /** The store failed to claim or to commit: counted, reported; the delivery waits, unacknowledged. */
  readonly unavailable: (error: unknown) => void;
  /** A delivery of a channel that closed since: the broker delivers it again, so it is dropped here. */
  readonly stale: (delivery: T) => boolean;
}

/**
 * The deliveries of one mailbox on their way through a durable dedupe store, one at a time and
 * in order: claim, hand to the actor, commit, acknowledge; then the next. One at a time because a
 * claim may hold a database transaction (and its connection) open until its handler finished;
 * the actor handles one message at a time anyway. While the store cannot answer, the delivery
 * stays first in line, unacknowledged (so the broker still holds it, and hands it to another
 * consumer if this process dies), and is claimed again after a backoff on the Clock port.
 */
export class ClaimQueue<T extends Claimable> {
  private waiting: T[] = [];
  /** A claim is being made, or a claimed delivery is not settled yet. */
  private busy = false;
  private failures = 0;
  private retry: Timer | undefined;
  private closed = false;

  constructor(private readonly settings: ClaimQueueSettings<T>) {}

  push(delivery: T): void {
    this.waiting.push(delivery);
    this.next();
  }

  /** The claimed delivery was handled: commits its claim; on failure it goes back first in line. */
  committed(delivery: T, claim: DedupeClaim, acknowledge: () => void): void {
    claim.commit().then(
      () => {
        this.failures = 0;
        acknowledge();
        this.settled();
      },
      (error: unknown) => {
        // Not recorded (or not known to be): claimed again, so it is either found handled or handled anew.
        this.waiting.unshift(delivery);
        this.failed(error);
      },
    );
  }

  /** The claimed delivery was not handled (or need not be): its claim is given up, the next one goes. */
  released(claim: DedupeClaim, then?: T): void {
    void claim.release().then(() => {
      if (then) this.waiting.unshift(then);
      this.settled();
    });
  }

  /** The claimed delivery's handler failed because the store went away: given up, and claimed again after a backoff. */
  interrupted(delivery: T, claim: DedupeClaim, error: unknown): void {
    void claim.release().then(() => {
      this.waiting.unshift(delivery);
      this.failed(error);
    });
  }

  /** Drops what waits (deliveries the broker will hand out again: a closed channel, a pause). */
  clear(): void {
    this.waiting = [];
  }

  close(): void {
    this.closed = true;
    this.waiting = [];
    this.retry?.cancel();
  }

  private settled(): void {
    this.busy = false;
    this.next();
  }

  private next(): void {
    if (this.busy || this.closed || this.retry) return;
    const delivery = this.nextFresh();
    if (!delivery) return;
    this.busy = true;
    this.settings.store.claim(this.settings.address, delivery.envelope).then(
      (claim) => {
        this.failures = 0;
        if (!claim) {
          this.settings.duplicate(delivery);
          return this.settled();
        }
        // Paused, closed or reconnected meanwhile: the broker hands it out again.
        if (this.closed || this.settings.stale(delivery)) return this.released(claim);
        this.settings.claimed(delivery, claim);
      },
      (error: unknown) => {
        if (!this.settings.stale(delivery)) this.waiting.unshift(delivery);
        this.failed(error);
      },
    );
  }

  private nextFresh(): T | undefined {
    for (let delivery = this.waiting.shift(); delivery; delivery = this.waiting.shift()) if (!this.settings.stale(delivery)) return delivery;
    return undefined;
  }

  private failed(error: unknown): void {
    this.busy = false;
    if (this.closed) return;
    this.settings.unavailable(error);
    const delay = backoffDelay(this.settings.backoff, ++this.failures, this.settings.random);
    this.retry = this.settings.clock.setTimer(delay, () => {
      this.retry = undefined;
      this.next();
    });
  }
}
