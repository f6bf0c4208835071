import amqp from 'amqplib';
import type { OpenPath, PathUnderTest } from './path.ts';

const BROKER_URL = process.env.AIRLOCK_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * The floor of the full float path: raw amqplib publishing the same bytes as persistent messages
 * on a confirm channel to a durable queue that a consumer drains (acking each), a send resolving
 * on the publisher confirm. The full path can be no faster than this: every one of its messages
 * waits for the same confirm before the peer's delivery settles.
 */
export const brokerFloor: PathUnderTest = {
  name: 'raw amqplib publish + confirm',
  async open(): Promise<OpenPath> {
    const exchange = `airlock-bench-floor-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const queue = `${exchange}:inbox`;
    const producerConnection = await amqp.connect(BROKER_URL);
    const consumerConnection = await amqp.connect(BROKER_URL);
    const producer = await producerConnection.createConfirmChannel();
    const consumer = await consumerConnection.createChannel();
    await producer.assertExchange(exchange, 'direct', { durable: true });
    await producer.assertQueue(queue, { durable: true });
    await producer.bindQueue(queue, exchange, 'inbox');
    await consumer.prefetch(64);
    await consumer.consume(queue, (message) => message && consumer.ack(message));
    return {
      send: (bytes, id) =>
        new Promise<void>((resolve, reject) => {
          const content = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          producer.publish(exchange, 'inbox', content, { persistent: true, messageId: id }, (error) => (error ? reject(error) : resolve()));
        }),
      async close() {
        await producer.deleteQueue(queue);
        await producer.deleteExchange(exchange);
        await producerConnection.close();
        await consumerConnection.close();
      },
    };
  },
};
