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
  /** Claimed: hand it to the actor (or dead-letter it); settle it later with `committed` or `released`. */
  readonly claimed: (delivery: T, claim: DedupeClaim) => void;
  /** The store failed to claim or to commit: counted, reported; the delivery waits, unacknowledged. */
  readonly unavailable: (error: unknown) => void;
  /** A delivery of a channel that closed since: the broker delivers it again, so it is dropped here. */
  readonly stale: (delivery: T) => boolean;
}

/**
 * The deliveries of one mailbox on their way through a durable dedupe store, in order: claim,
 * hand to the actor, commit, acknowledge. Claims are made one after the other (so they are handed
 * over in delivery order), and at most `store.claimsAtOnce` (1 unless the store says) are held
 * unsettled at once: a claim may hold a database transaction, and its connection, until its
 * handler finished, so the store bounds how many a mailbox holds; more than one lets the next
 * claim's round trips overlap the current handler and its commit. While the store cannot answer,
 * the delivery stays first in line, unacknowledged (so the broker still holds it, and hands it to
 * another consumer if this process dies), and is claimed again after a backoff on the Clock port.
 */
export class ClaimQueue<T extends Claimable> {
  private waiting: T[] = [];
  /** A claim is being made. */
  private claiming = false;
  /** Claims made and not yet committed or released. */
  private held = 0;
  private readonly atOnce: number;
  private failures = 0;
  private retry: Timer | undefined;
  private closed = false;

  constructor(private readonly settings: ClaimQueueSettings<T>) {
    this.atOnce = Math.max(1, settings.store.claimsAtOnce ?? 1);
  }

  push(delivery: T): void {
    this.waiting.push(delivery);
    this.next();
  }

  /** The claimed delivery was handled: commits its claim, then acknowledges it; on failure it goes back first in line. */
  committed(delivery: T, claim: DedupeClaim, acknowledge: () => void): void {
    claim.commit().then(
      () => {
        this.failures = 0;
        acknowledge();
        this.settled();
      },
      (error: unknown) => {
        // Not recorded (or not known to be): claimed again, so it is either found handled or handled anew.
        this.failed(error);
        this.settled(delivery);
      },
    );
  }

  /** The claimed delivery was not handled (or need not be): its claim is given up; `then` goes back first in line. */
  released(claim: DedupeClaim, then?: T): void {
    void giveUp(claim).then(() => this.settled(then));
  }

  /** The claimed delivery's handler failed because the store went away: given up, and claimed again after a backoff. */
  interrupted(delivery: T, claim: DedupeClaim, error: unknown): void {
    void giveUp(claim).then(() => {
      this.failed(error);
      this.settled(delivery);
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
    this.retry = undefined;
  }

  /** One held claim is settled; `back` (its delivery, to be claimed again) goes first in line. */
  private settled(back?: T): void {
    this.held--;
    if (back && !this.closed) this.waiting.unshift(back);
    this.next();
  }

  private next(): void {
    if (this.claiming || this.held >= this.atOnce || this.closed || this.retry) return;
    const delivery = this.nextFresh();
    if (!delivery) return;
    this.claiming = true;
    this.held++;
    this.settings.store.claim(this.settings.address, delivery.envelope).then(
      (claim) => {
        this.claiming = false;
        this.failures = 0;
        if (!claim) {
          this.settings.duplicate(delivery);
          return this.settled();
        }
        // Paused, closed or reconnected meanwhile: the broker hands it out again.
        if (this.closed || this.settings.stale(delivery)) return this.released(claim);
        this.settings.claimed(delivery, claim);
        this.next();
      },
      (error: unknown) => {
        this.claiming = false;
        this.failed(error);
        this.settled(this.settings.stale(delivery) ? undefined : delivery);
      },
    );
  }

  private nextFresh(): T | undefined {
    for (let delivery = this.waiting.shift(); delivery; delivery = this.waiting.shift()) if (!this.settings.stale(delivery)) return delivery;
    return undefined;
  }

  /** The store failed: nothing more is claimed until a backoff has passed (called before the delivery is given back). */
  private failed(error: unknown): void {
    if (this.closed) return;
    this.settings.unavailable(error);
    if (this.retry) return;
    const delay = backoffDelay(this.settings.backoff, ++this.failures, this.settings.random);
    this.retry = this.settings.clock.setTimer(delay, () => {
      this.retry = undefined;
      this.next();
    });
  }
}

/** Releases `claim`; a store whose release rejects (it should not) never leaves a rejection unhandled. */
function giveUp(claim: DedupeClaim): Promise<void> {
  return claim.release().catch(() => {});
}
