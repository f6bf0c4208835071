import assert from 'node:assert/strict';
import amqp from 'amqplib';
import { coalesceWrites } from '../../../transports/rabbitmq/connection-manager.ts';
import { BROKER_URL, requireBroker, uniqueNamespace } from './broker.ts';

/** Counts the socket writes (syscalls, roughly) of an amqplib connection. */
function countWrites(connection: amqp.ChannelModel): { calls: number } {
  const stream = (connection as any).connection.stream;
  const counted = { calls: 0 };
  for (const method of ['_write', '_writev'] as const) {
    const original = stream[method];
    if (typeof original !== 'function') continue;
    stream[method] = function (...args: unknown[]) {
      counted.calls++;
      return original.apply(this, args);
    };
  }
  return counted;
}

describe('RabbitMQ: the frames of a turn leave in one socket write (coalesceWrites)', function () {
  this.timeout(30_000);

  it('writes a burst of publishes in a few writes, every message there, in order', async () => {
    await requireBroker();
    const connection = await amqp.connect(BROKER_URL);
    try {
      coalesceWrites(connection);
      const channel = await connection.createConfirmChannel();
      const queue = uniqueNamespace('coalesced');
      await channel.assertQueue(queue, { exclusive: true, autoDelete: true });
      const writes = countWrites(connection);
      const count = 200;
      const confirmed = Array.from({ length: count }, (_, i) => new Promise<void>((resolve, reject) => channel.sendToQueue(queue, Buffer.from(String(i)), {}, (error) => (error ? reject(error) : resolve()))));
      await Promise.all(confirmed);
      assert.ok(writes.calls < count / 10, `${writes.calls} socket writes for ${count} publishes`);
      const received: string[] = [];
      for (let message = await channel.get(queue, { noAck: true }); message; message = await channel.get(queue, { noAck: true })) received.push(message.content.toString());
      assert.deepEqual(received, Array.from({ length: count }, (_, i) => String(i)));
    } finally {
      await connection.close();
    }
  });

  it('leaves an amqplib it does not recognise as it is', () => {
    assert.doesNotThrow(() => coalesceWrites({} as amqp.ChannelModel));
  });
});
