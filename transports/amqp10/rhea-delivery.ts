import type { LinkDelivery } from '../../lib/index.ts';
import type { DecodedMessage } from './message-body.ts';
import type { Delivery } from './rhea-types.ts';

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
    if (this.settle()) this.delivery.accept();
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
