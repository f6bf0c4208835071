import type { ConsumeMessage } from 'amqplib';

/** The header a quorum queue counts a message's earlier deliveries in (RabbitMQ 3.8+). */
const DELIVERY_COUNT_HEADER = 'x-delivery-count';

/**
 * How many times the broker delivered `message` before, as far as it says: a quorum queue counts
 * them in `x-delivery-count`; a classic queue only says `redelivered` (at least once), and counts
 * nothing across the processes that died holding it, so on a classic queue a message that kills
 * every process taking it is delivered again each time (the README says so, beside `maxAttempts`).
 * This process needs no count of its own: a handling it started either finishes (the id is then
 * in the dedupe window, and a redelivery is dropped) or crashes (the message is dead-lettered).
 */
export function earlierDeliveries(message: ConsumeMessage): number {
  const counted = message.properties.headers?.[DELIVERY_COUNT_HEADER];
  if (typeof counted === 'number' && Number.isSafeInteger(counted) && counted >= 0) return counted;
  return message.fields.redelivered ? 1 : 0;
}
