import { CONDITIONS, type LinkReceiver, type ReceiverOptions } from '../../lib/index.ts';
import { MESSAGE_SECTIONS_ALLOWANCE_BYTES } from './limits.ts';
import { decodeMessage } from './message-body.ts';
import { RheaLinkDelivery, type SettlementSink } from './rhea-delivery.ts';
import { partialDeliveriesOf, watchTransfers, type CutReason } from './transfer-watch.ts';
import type { Delivery, RheaReceiver } from './rhea-types.ts';

/**
 * A receiver with explicit credit: `credit` granted on open, one more each time a delivery is
 * settled, so the peer never has more unsettled deliveries than `credit`. What the peer sends is
 * validated (binary body, size, plain properties) before `onDelivery` sees it.
 */
export class RheaLinkReceiver implements LinkReceiver, SettlementSink {
  unsettled = 0;
  /** Whether a delivery was cut while its transfers arrived (its message is not the peer's). */
  private readonly cutShort: (delivery: object) => boolean = () => false;

  constructor(
    readonly address: string,
    private readonly link: RheaReceiver,
    private readonly options: ReceiverOptions,
  ) {
    const limit = options.maxMessageBytes;
    if (limit !== undefined) {
      // Advertised on attach (AMQP 1.0 §2.7.3: the whole encoded message), and enforced while the transfers arrive, not once rhea holds them all.
      const advertised = limit + MESSAGE_SECTIONS_ALLOWANCE_BYTES;
      link.local.attach.max_message_size = advertised;
      const budget = partialDeliveriesOf(link.connection, advertised);
      const watch = watchTransfers(link, advertised, budget, (received, reason) => {
        const { condition, description } = cutNotice(reason, received, advertised, budget.maxBytes);
        link.close({ condition, description });
        options.onRefused?.(condition, description);
      });
      this.cutShort = watch.cutShort;
      for (const event of ['receiver_close', 'receiver_error']) link.on(event, watch.release);
    }
    link.on('message', (context) => this.take(context.message, context.delivery!));
  }

  /** Grants the initial credit (once the link is open on this side). */
  start(): void {
    this.link.add_credit(this.options.credit);
  }

  async close(): Promise<void> {
    this.link.close();
  }

  canSettle(): boolean {
    return this.link.is_open();
  }

  /** A delivery was settled: its credit goes back to the peer. */
  settled(): void {
    this.unsettled--;
    if (this.link.is_open()) this.link.add_credit(1);
  }

  private take(message: unknown, delivery: Delivery): void {
    if (this.cutShort(delivery)) return;
    // A peer that ignores credit breaks the protocol: the link ends rather than grow without bound.
    if (this.unsettled >= this.options.credit) {
      delivery.update(true);
      this.link.close({ condition: CONDITIONS.transferLimitExceeded, description: `more than ${this.options.credit} unsettled deliveries` });
      return;
    }
    this.unsettled++;
    const decoded = decodeMessage(message);
    if (typeof decoded === 'string') return this.refuse(delivery, CONDITIONS.decodeError, decoded);
    const limit = this.options.maxMessageBytes;
    if (limit !== undefined && decoded.bytes.byteLength > limit) {
      return this.refuse(delivery, CONDITIONS.messageSizeExceeded, `message of ${decoded.bytes.byteLength} bytes exceeds the limit of ${limit} bytes`);
    }
    this.options.onDelivery(new RheaLinkDelivery(delivery, this, decoded));
  }

  /** Rejects what never reaches the handler. */
  private refuse(delivery: Delivery, condition: string, description: string): void {
    this.options.onRefused?.(condition, description);
    if (this.canSettle()) delivery.reject({ condition, description });
    this.settled();
  }
}

/** What the peer is told when its delivery was cut before it was whole. */
function cutNotice(reason: CutReason, received: number, advertised: number, budget: number): { condition: string; description: string } {
  if (reason === 'message-size') {
    return { condition: CONDITIONS.messageSizeExceeded, description: `a message passed the limit of ${advertised} bytes at ${received} bytes, before it was whole` };
  }
  return {
    condition: CONDITIONS.resourceLimitExceeded,
    description: `the unfinished deliveries of this connection passed ${budget} bytes, ${received} of them on this link`,
  };
}
