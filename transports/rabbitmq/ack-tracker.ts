import type { Channel, ConsumeMessage } from 'amqplib';

/** One delivery awaiting its acknowledgement. */
export interface AckEntry {
  readonly message: ConsumeMessage;
  done: boolean;
}

/**
 * Acknowledges one channel's deliveries in delivery-tag order, with a single `multiple` ack per
 * burst of settled messages instead of one frame each. A delivery not yet finished (retried,
 * or waiting for its dead-letter copy to be confirmed) holds back the acks of those after it, so
 * nothing is ever acknowledged before it is safe.
 */
export class AckTracker {
  private entries: AckEntry[] = [];
  private head = 0;
  private scheduled = false;

  constructor(private readonly channel: Channel) {}

  track(message: ConsumeMessage): AckEntry {
    const entry = { message, done: false };
    this.entries.push(entry);
    return entry;
  }

  /** Marks a delivery finished; the ack goes out once the current burst of work is over. */
  done(entry: AckEntry): void {
    entry.done = true;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    let last: ConsumeMessage | undefined;
    while (this.head < this.entries.length && this.entries[this.head].done) last = this.entries[this.head++].message;
    if (this.head > 1_024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    if (!last) return;
    try {
      this.channel.ack(last, true);
    } catch {
      // The channel closed under us; the broker will redeliver and the dedupe window drops it.
    }
  };
}
