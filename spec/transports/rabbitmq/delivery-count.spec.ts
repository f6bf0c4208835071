import assert from 'node:assert/strict';
import type { ConsumeMessage } from 'amqplib';
import { earlierDeliveries } from '../../../transports/rabbitmq/delivery-count.ts';

function delivery(redelivered: boolean, headers?: Record<string, unknown>): ConsumeMessage {
  return { content: Buffer.alloc(0), fields: { redelivered } as ConsumeMessage['fields'], properties: { headers } as ConsumeMessage['properties'] };
}

describe('RabbitMQ transport: earlier deliveries of a message, as the broker tells them', () => {
  const cases: [string, ConsumeMessage, number][] = [
    ['a first delivery from a classic queue', delivery(false), 0],
    ['a redelivery from a classic queue (it counts no further)', delivery(true), 1],
    ["a quorum queue's first delivery", delivery(false, { 'x-delivery-count': 0 }), 0],
    ["a quorum queue's count", delivery(true, { 'x-delivery-count': 4 }), 4],
    ['a count that is not a non-negative safe integer falls back to the flag', delivery(true, { 'x-delivery-count': -2 }), 1],
    ['a count of another type falls back to the flag', delivery(false, { 'x-delivery-count': '7' }), 0],
    ['an unsafe integer falls back to the flag', delivery(true, { 'x-delivery-count': 2 ** 53 }), 1],
  ];
  for (const [name, message, expected] of cases) {
    it(`${name}: ${expected}`, () => assert.equal(earlierDeliveries(message), expected));
  }
});
