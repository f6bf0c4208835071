/**
 * Paces publishing into bounded RabbitMQ mailboxes by the consumer, not by the clock: at most
 * `PACE_PER_QUEUE` frames go to one queue before the publisher waits for the broker's confirms and
 * for the node to have taken them all; a frame the broker still refuses (the queue at its
 * `x-max-length`) is published again once the queue drained. So every frame reaches the decoder.
 */
import type { ConfirmChannel } from 'amqplib';

/** Half the smallest mailbox of the fuzz topology (`$control`'s 64): a window never fills a queue. */
export const PACE_PER_QUEUE = 32;

interface Publication {
  queue: string;
  bytes: Buffer;
  messageId: string;
}

export class QueuePacer {
  /** Frames the broker refused (queue full), to publish again. */
  republished = 0;
  private readonly sinceDrained = new Map<string, number>();
  private refused: Publication[] = [];

  constructor(private readonly channel: ConfirmChannel) {}

  async publish(publication: Publication): Promise<void> {
    const sent = this.sinceDrained.get(publication.queue) ?? 0;
    if (sent >= PACE_PER_QUEUE) await this.drain(publication.queue);
    this.sinceDrained.set(publication.queue, (this.sinceDrained.get(publication.queue) ?? 0) + 1);
    this.send(publication);
  }

  /** Waits until every frame published so far was confirmed and taken by the node. */
  async flush(): Promise<void> {
    await this.confirms();
    while (this.refused.length > 0) {
      const again = this.refused;
      this.refused = [];
      for (const queue of new Set(again.map((publication) => publication.queue))) await this.drained(queue);
      this.republished += again.length;
      for (const publication of again) this.send(publication);
      await this.confirms();
    }
  }

  private send(publication: Publication): void {
    this.channel.sendToQueue(publication.queue, publication.bytes, { messageId: publication.messageId }, (error: unknown) => {
      if (error) this.refused.push(publication);
    });
  }

  private async drain(queue: string): Promise<void> {
    await this.flush();
    await this.drained(queue);
    this.sinceDrained.set(queue, 0);
  }

  /** Until the node's consumer took every message of `queue`: each check is a broker round trip. */
  private async drained(queue: string): Promise<void> {
    while ((await this.channel.checkQueue(queue)).messageCount > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  private confirms(): Promise<void> {
    return this.channel.waitForConfirms().catch(() => {});
  }
}
