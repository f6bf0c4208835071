import type { Envelope } from '../../lib/index.ts';

/** One handling of a message: where, by which incarnation of its node, and whether the broker got the ack. */
export interface Handling {
  readonly at: number;
  readonly node: string;
  readonly incarnation: number;
  /** Position among all handlings of the run, for the order check. */
  readonly order: number;
  acked: boolean;
}

/** Everything the world knows about one message, for the invariants. */
export interface MessageRecord {
  readonly id: string;
  readonly link: string;
  /** Position on its link (sender → receiver), in send order. */
  readonly seq: number;
  readonly to: string;
  readonly sentAt: number;
  confirmed: boolean;
  readonly handlings: Handling[];
  deadLettered: boolean;
  /** Why the message may legitimately go unhandled (its queue or its process died with it). */
  exempt: string | undefined;
}

/**
 * The world's book of messages: each send, confirm, handling, ack and dead letter, kept apart
 * from the trace so the invariants can be checked without parsing text.
 */
export class DeliveryLedger {
  readonly messages = new Map<string, MessageRecord>();
  private readonly linkSeq = new Map<string, number>();
  private handlingCount = 0;

  sent(envelope: Envelope, senderNode: string, at: number): MessageRecord {
    const existing = this.messages.get(envelope.id);
    if (existing) return existing;
    const link = `${envelope.from ?? senderNode}->${envelope.to}`;
    const seq = (this.linkSeq.get(link) ?? 0) + 1;
    this.linkSeq.set(link, seq);
    const record: MessageRecord = {
      id: envelope.id, link, seq, to: envelope.to, sentAt: at,
      confirmed: false, handlings: [], deadLettered: false, exempt: undefined,
    };
    this.messages.set(envelope.id, record);
    return record;
  }

  confirmed(id: string): void {
    const record = this.messages.get(id);
    if (record) record.confirmed = true;
  }

  handled(id: string, node: string, incarnation: number, at: number): void {
    this.messages.get(id)?.handlings.push({ at, node, incarnation, order: this.handlingCount++, acked: false });
  }

  /** The broker received the ack of the latest handling of `id`. */
  acked(id: string): void {
    const handlings = this.messages.get(id)?.handlings;
    if (handlings && handlings.length > 0) handlings[handlings.length - 1].acked = true;
  }

  deadLettered(id: string): void {
    const record = this.messages.get(id);
    if (record) record.deadLettered = true;
  }

  exempt(id: string, reason: string): void {
    const record = this.messages.get(id);
    if (record && record.exempt === undefined) record.exempt = reason;
  }
}
