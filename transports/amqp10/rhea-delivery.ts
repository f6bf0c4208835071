import rhea from 'rhea';
import type { LinkDelivery } from '../../lib/index.ts';
import type { DecodedMessage } from './message-body.ts';
import type { Delivery } from './rhea-types.ts';

/**
 * The `accepted` outcome as rhea writes it in a disposition, made once: rhea's `accept()` builds a
 * new one per delivery, and rhea only reads it (to write it, and to merge a range of equal outcomes).
 */
const ACCEPTED: unknown = (rhea.message as unknown as { accepted(): { described(): unknown } }).accepted().described();

/** What a delivery reports to its receiver when it is settled, so the credit comes back. */
export interface SettlementSink {
  /** Whether the link can still carry a disposition. */
  canSettle(): boolean;
  settled(): void;
}

/**
 * One validated delivery as the `LinkDelivery` the receiver's handler sees: the first of accept /
 * reject / release settles it, the others do nothing. A class rather than a literal with three
 * closures, because one is made per message on the hot path.
 */
export class RheaLinkDelivery implements LinkDelivery {
  readonly bytes: Uint8Array;
  readonly messageId: string | undefined;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  private done = false;

  constructor(
    private readonly delivery: Delivery,
    private readonly sink: SettlementSink,
    message: DecodedMessage,
  ) {
    this.bytes = message.bytes;
    this.messageId = message.messageId;
    this.properties = message.properties;
  }

  accept(): void {
    // rhea's `accept()`, with the outcome made once: settled as the link's receiver settle mode says.
    if (this.settle()) this.delivery.update(undefined as unknown as boolean, ACCEPTED);
  }

  reject(condition: string, description: string): void {
    if (this.settle()) this.delivery.reject({ condition, description });
  }

  release(): void {
    if (this.settle()) this.delivery.release();
  }

  /** True the first time, when the link is still there to carry the outcome; the credit returns either way. */
  private settle(): boolean {
    if (this.done) return false;
    this.done = true;
    const open = this.sink.canSettle();
    this.sink.settled();
    return open;
  }
}
