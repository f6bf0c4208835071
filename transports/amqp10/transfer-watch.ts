import rhea from 'rhea';

/** What a dropped delivery decodes to when its last transfer lands: an empty message, never half of one. */
const EMPTY_MESSAGE: Buffer = rhea.message.encode({ body: rhea.message.data_section(Buffer.alloc(0)) });

/** The payloads of a dropped delivery: it takes every later transfer and keeps none. */
class DroppedFrames extends Array<Buffer> {
  static override get [Symbol.species]() {
    return Array;
  }

  override push(): number {
    return this.length;
  }
}

/** rhea 3's delivery under way on a receiver: the payloads of its transfers so far. */
interface IncompleteDelivery {
  frames: Buffer[];
}

/** What a watched receiver link looks like to rhea: it keeps the delivery under way here. */
interface ReceiverWithIncomplete {
  _incomplete?: IncompleteDelivery;
}

/**
 * The bytes of the unfinished deliveries of one connection, shared by its receivers: a peer may
 * have one delivery under way per link, each within the limit, so without a budget one connection
 * of 16 links could make the process hold 16 messages' worth of partial transfers. Twice the limit
 * lets one whole message and the start of the next through; past it, the delivery that grew the
 * total is cut.
 */
export class PartialDeliveries {
  held = 0;
  constructor(readonly maxBytes: number) {}
}

const budgets = new WeakMap<object, PartialDeliveries>();

/** The budget of `connection`, made on its first receiver: twice that receiver's advertised limit. */
export function partialDeliveriesOf(connection: object, maxMessageBytes: number): PartialDeliveries {
  let budget = budgets.get(connection);
  if (!budget) budgets.set(connection, (budget = new PartialDeliveries(2 * maxMessageBytes)));
  return budget;
}

/** Why a delivery was cut before it was whole. */
export type CutReason = 'message-size' | 'connection-budget';

export interface TransferWatch {
  /** Whether a delivery was cut while its transfers arrived (its message is not the peer's). */
  cutShort(delivery: object): boolean;
  /** The link ended: the delivery under way, if any, no longer counts against the connection. */
  release(): void;
}

/**
 * Counts the bytes of a delivery while its transfers arrive, and calls `exceeded` (once per
 * delivery) as soon as they pass `maxMessageBytes` (the link's advertised max-message-size, which
 * AMQP 1.0 §2.7.3 counts over the whole encoded message, its sections included), or as soon as the
 * connection's unfinished deliveries together pass their budget. So the process holds at most the
 * limit and the one transfer that passed it per delivery, and the budget and a transfer per
 * connection. rhea hands a receiver whole messages only, having buffered every transfer of one: it
 * keeps the delivery under way in the link's `_incomplete`, set at each transfer that has more to
 * come; an accessor there sees each as it lands. From then on the delivery's payloads are dropped
 * as they come, its message is an empty one, and `cutShort` tells it apart.
 */
export function watchTransfers(
  link: object,
  maxMessageBytes: number,
  budget: PartialDeliveries,
  exceeded: (received: number, reason: CutReason) => void,
): TransferWatch {
  const dropped = new WeakSet<object>();
  let current: IncompleteDelivery | undefined;
  let counted = 0;
  let received = 0;
  /** Takes the delivery under way off the connection's budget (a dropped one already is). */
  const forget = () => {
    if (current && !dropped.has(current)) budget.held -= received;
    [counted, received] = [0, 0];
  };
  Object.defineProperty(link as ReceiverWithIncomplete, '_incomplete', {
    configurable: true,
    get: () => current,
    set: (delivery: IncompleteDelivery | undefined) => {
      if (delivery !== current) forget();
      current = delivery;
      if (!delivery || dropped.has(delivery)) return;
      // Only the payloads that came since the last look: a peer sending tiny transfers costs O(1) each.
      let grown = 0;
      for (; counted < delivery.frames.length; counted++) grown += delivery.frames[counted].length;
      received += grown;
      budget.held += grown;
      const reason: CutReason | undefined = received > maxMessageBytes ? 'message-size' : budget.held > budget.maxBytes ? 'connection-budget' : undefined;
      if (!reason) return;
      budget.held -= received;
      dropped.add(delivery);
      delivery.frames = DroppedFrames.of(EMPTY_MESSAGE);
      counted = delivery.frames.length;
      exceeded(received, reason);
    },
  });
  return {
    cutShort: (delivery) => dropped.has(delivery),
    release: () => {
      forget();
      current = undefined;
    },
  };
}
