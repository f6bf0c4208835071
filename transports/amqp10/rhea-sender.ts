import {
  CONDITIONS,
  LinkLostError,
  LinkRefusedError,
  type LinkSender,
  type LinkSendOptions,
  type SenderOptions,
  type LinkSettlement,
} from '../../lib/index.ts';
import { MESSAGE_SECTIONS_ALLOWANCE_BYTES } from './limits.ts';
import { encodeHopMessage } from './hop-message-encoder.ts';
import type { Delivery, RheaSender } from './rhea-types.ts';

interface Pending {
  messageId: string | undefined;
  resolve(settlement: LinkSettlement): void;
  reject(error: Error): void;
}

interface Outcome {
  error?: { condition?: string; description?: string };
}

/**
 * A sender whose `send` resolves only when the far side settles the delivery `accepted`; any
 * other outcome, or the link ending first, rejects it with a typed error.
 */
export class RheaLinkSender implements LinkSender {
  private readonly pending = new Map<Delivery, Pending>();
  private lost: string | undefined;
  private limit: number | undefined;
  /** Deliveries sent on this link: each one's tag (rhea's own makes a string, then a buffer of its digits). */
  private sent = 0;

  constructor(
    readonly address: string,
    private readonly link: RheaSender,
    private readonly options: SenderOptions,
  ) {
    link.on('accepted', (context) => this.settle(context.delivery!, (pending) => pending.resolve({ messageId: pending.messageId, outcome: 'accepted' })));
    link.on('rejected', (context) => {
      const error = (context.delivery!.remote_state as Outcome | undefined)?.error;
      const refusal = new LinkRefusedError(error?.condition ?? 'amqp:rejected', error?.description ?? 'rejected', address);
      this.settle(context.delivery!, (pending) => pending.reject(refusal));
    });
    link.on('released', (context) =>
      this.settle(context.delivery!, (pending) => pending.reject(new LinkRefusedError(CONDITIONS.released, 'the receiver released the delivery', address))),
    );
    // Heard here, so rhea does not offer each settlement to the session, the connection and the container in turn.
    link.on('settled', () => undefined);
  }

  /** The smaller of this side's body limit and the receiver's (fixed once attached). */
  get maxMessageBytes(): number {
    if (this.limit !== undefined) return this.limit;
    // An airlock receiver advertises its body limit plus room for the sections around the body.
    const advertised = Number(this.link.remote.attach?.max_message_size ?? 0);
    const theirs = advertised > 0 ? Math.max(advertised - MESSAGE_SECTIONS_ALLOWANCE_BYTES, 1) : 0;
    const ours = this.options.maxMessageBytes ?? 0;
    const limits = [theirs, ours].filter((limit) => limit > 0);
    const limit = limits.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...limits);
    if (this.link.remote.attach) this.limit = limit;
    return limit;
  }

  send(bytes: Uint8Array, options: LinkSendOptions = {}): Promise<LinkSettlement> {
    if (this.lost !== undefined) return Promise.reject(new LinkLostError(this.address, this.lost));
    const limit = this.maxMessageBytes;
    if (bytes.byteLength > limit) {
      const description = `message of ${bytes.byteLength} bytes exceeds the limit of ${limit} bytes`;
      return Promise.reject(new LinkRefusedError(CONDITIONS.messageSizeExceeded, description, this.address));
    }
    // The receiver counts max-message-size over the encoded message (AMQP 1.0 §2.7.3), sections and all.
    const encoded = encodeHopMessage(bytes, options);
    const advertised = Number(this.link.remote.attach?.max_message_size ?? 0);
    if (advertised > 0 && encoded.byteLength > advertised) {
      const description = `message of ${encoded.byteLength} bytes encoded (a body of ${bytes.byteLength}) exceeds the receiver's max-message-size of ${advertised} bytes`;
      return Promise.reject(new LinkRefusedError(CONDITIONS.messageSizeExceeded, description, this.address));
    }
    return new Promise<LinkSettlement>((resolve, reject) => {
      const delivery = this.link.send(encoded, this.nextTag(), 0);
      this.pending.set(delivery, { messageId: options.messageId, resolve, reject });
    });
  }

  async close(): Promise<void> {
    this.link.close();
    this.fail('the sender was closed');
  }

  /** Every unsettled send rejects: the link, session or connection ended. */
  fail(reason: string): void {
    this.lost ??= reason;
    for (const pending of this.pending.values()) pending.reject(new LinkLostError(this.address, reason));
    this.pending.clear();
  }

  /** A tag unique on this link (AMQP 1.0 §2.6.12: among its unsettled deliveries): the count of deliveries sent, 8 bytes. */
  private nextTag(): Buffer {
    const count = this.sent++;
    const tag = Buffer.allocUnsafe(8);
    tag.writeUInt32BE(Math.floor(count / 0x1_0000_0000), 0);
    tag.writeUInt32BE(count >>> 0, 4);
    return tag;
  }

  private settle(delivery: Delivery, outcome: (pending: Pending) => void): void {
    const pending = this.pending.get(delivery);
    if (!pending) return;
    this.pending.delete(delivery);
    outcome(pending);
  }
}
