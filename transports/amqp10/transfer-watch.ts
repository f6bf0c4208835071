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
 * Counts the bytes of a delivery while its transfers arrive, and calls `exceeded` (once per
 * delivery) as soon as they pass `maxMessageBytes`: the link's advertised max-message-size, which
 * AMQP 1.0 (§2.7.3) counts over the whole encoded message, its sections included; so the process
 * holds at most the limit and the one transfer that passed it. rhea hands a receiver whole messages only, having buffered every transfer of
 * one: it keeps the delivery under way in the link's `_incomplete`, set at each transfer that has
 * more to come; an accessor there sees each as it lands. From then on the delivery's payloads are
 * dropped as they come, its message is an empty one, and the returned check tells it apart.
 */
export function watchTransfers(link: object, maxMessageBytes: number, exceeded: (received: number) => void): (delivery: object) => boolean {
  const limit = maxMessageBytes;
  const dropped = new WeakSet<object>();
  let current: IncompleteDelivery | undefined;
  let counted = 0;
  let received = 0;
  Object.defineProperty(link as ReceiverWithIncomplete, '_incomplete', {
    configurable: true,
    get: () => current,
    set: (delivery: IncompleteDelivery | undefined) => {
      if (delivery !== current) [counted, received] = [0, 0];
      current = delivery;
      if (!delivery) return;
      // Only the payloads that came since the last look: a peer sending tiny transfers costs O(1) each.
      for (; counted < delivery.frames.length; counted++) received += delivery.frames[counted].length;
      if (dropped.has(delivery) || received <= limit) return;
      dropped.add(delivery);
      delivery.frames = DroppedFrames.of(EMPTY_MESSAGE);
      counted = delivery.frames.length;
      exceeded(received);
    },
  });
  return (delivery) => dropped.has(delivery);
}
