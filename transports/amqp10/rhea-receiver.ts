import { CONDITIONS, type LinkDelivery, type LinkReceiver, type ReceiverOptions } from '../../lib/index.ts';
import { decodeMessage } from './message-body.ts';
import type { Delivery, RheaReceiver } from './rhea-types.ts';

/**
 * A receiver with explicit credit: `credit` granted on open, one more each time a delivery is
 * settled, so the peer never has more unsettled deliveries than `credit`. What the peer sends is
 * validated (binary body, size, plain properties) before `onDelivery` sees it.
 */
export class RheaLinkReceiver implements LinkReceiver {
  unsettled = 0;

  constructor(
    readonly address: string,
    private readonly link: RheaReceiver,
    private readonly options: ReceiverOptions,
  ) {
    if (options.maxMessageBytes !== undefined) link.local.attach.max_message_size = options.maxMessageBytes;
    link.on('message', (context) => this.take(context.message, context.delivery!));
  }

  /** Grants the initial credit (once the link is open on this side). */
  start(): void {
    this.link.add_credit(this.options.credit);
  }

  async close(): Promise<void> {
    this.link.close();
  }

  private take(message: unknown, delivery: Delivery): void {
    // A peer that ignores credit breaks the protocol: the link ends rather than grow without bound.
    if (this.unsettled >= this.options.credit) {
      delivery.update(true);
      this.link.close({ condition: CONDITIONS.transferLimitExceeded, description: `more than ${this.options.credit} unsettled deliveries` });
      return;
    }
    this.unsettled++;
    const settle = this.settler();
    const decoded = decodeMessage(message);
    if (typeof decoded === 'string') return settle(() => delivery.reject({ condition: CONDITIONS.decodeError, description: decoded }));
    const limit = this.options.maxMessageBytes;
    if (limit !== undefined && decoded.bytes.byteLength > limit) {
      const description = `message of ${decoded.bytes.byteLength} bytes exceeds the limit of ${limit} bytes`;
      return settle(() => delivery.reject({ condition: CONDITIONS.messageSizeExceeded, description }));
    }
    const handed: LinkDelivery = {
      ...decoded,
      accept: () => settle(() => delivery.accept()),
      reject: (condition, description) => settle(() => delivery.reject({ condition, description })),
      release: () => settle(() => delivery.release()),
    };
    this.options.onDelivery(handed);
  }

  /** Settles at most once, then gives the credit back. */
  private settler(): (outcome: () => void) => void {
    let settled = false;
    return (outcome) => {
      if (settled) return;
      settled = true;
      this.unsettled--;
      if (!this.link.is_open()) return;
      outcome();
      this.link.add_credit(1);
    };
  }
}
