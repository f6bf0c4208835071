import type { Channel, ConsumeMessage } from 'amqplib';

/**
 * How a delivery is settled: acknowledged, or handed back to the broker — to be delivered
 * again (`requeue`) or dropped / sent to the queue's dead-letter exchange if a policy sets one
 * (`reject`).
 */
export type Verdict = 'ack' | 'requeue' | 'reject';

/** One delivery awaiting its settlement. */
export interface AckEntry {
  readonly message: ConsumeMessage;
  done: boolean;
  /** How it was settled once done (ack when absent). */
  verdict?: Verdict;
}

/**
 * Settles one channel's deliveries in delivery-tag order, with a single `multiple` ack per
 * burst of acknowledged messages instead of one frame each. A delivery not yet finished (retried,
 * or waiting for its dead-letter copy to be confirmed) holds back the acks of those after it, so
 * nothing is ever acknowledged before it is safe; every delivery is eventually done, with an ack
 * or a nack, so none holds them back for good.
 */
export class AckTracker {
  private entries: AckEntry[] = [];
  private head = 0;
  private scheduled = false;

  constructor(private readonly channel: Channel) {}

  track(message: ConsumeMessage): AckEntry {
    const entry: AckEntry = { message, done: false };
    this.entries.push(entry);
    return entry;
  }

  /** Marks a delivery settled; the ack (or nack) goes out once the current burst of work is over. */
  done(entry: AckEntry, verdict: Verdict = 'ack'): void {
    entry.done = true;
    entry.verdict = verdict;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    let last: ConsumeMessage | undefined;
    while (this.head < this.entries.length && this.entries[this.head].done) {
      const entry = this.entries[this.head++];
      if (entry.verdict === undefined || entry.verdict === 'ack') {
        last = entry.message;
        continue;
      }
      // Acks cover everything up to a tag, so those before this nack go out first.
      if (last) this.quietly(() => this.channel.ack(last!, true));
      last = undefined;
      this.quietly(() => this.channel.nack(entry.message, false, entry.verdict === 'requeue'));
    }
    if (this.head > 1_024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    if (last) this.quietly(() => this.channel.ack(last!, true));
  };

  private quietly(settle: () => void): void {
    try {
      settle();
    } catch {
      // The channel closed under us; the broker will redeliver and the dedupe window drops it.
    }
  }
}
