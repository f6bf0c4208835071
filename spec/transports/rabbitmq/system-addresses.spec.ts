import assert from 'node:assert/strict';
import { createSystem, type ActorSystem } from '../../../index.ts';
import { connectRabbit, queueName, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace, Work } from './broker.ts';

describe('RabbitMQ transport: messages to system addresses expire', function () {
  this.timeout(20_000);
  const namespace = uniqueNamespace('ttl');
  let transport: RabbitTransport;
  let system: ActorSystem;

  before(async () => {
    await requireBroker();
    transport = await connectRabbit({ url: BROKER_URL, namespace, systemMessageTtlMs: 200 });
    system = createSystem({ name: 'operator', transport });
  });

  after(async () => {
    await system.stop({ drainTimeoutMs: 0 });
    await transport.close();
    await cleanup(namespace, ['down/$control', 'down/worker']);
  });

  it('drops a request to <node>/$control of a node that is down after the TTL, but keeps ordinary messages', async () => {
    await system.ref('down/$control', Work).tell('job', { seq: 1 });
    await system.ref('down/worker', Work).tell('job', { seq: 1 });
    const { connection, channel } = await rawChannel();
    try {
      const depth = async (address: string) => (await channel.checkQueue(queueName(namespace, address))).messageCount;
      assert.equal(await depth('down/$control'), 1, 'confirmed and queued at first');
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(await depth('down/$control'), 0, 'expired: the node will not act on a stale restart');
      assert.equal(await depth('down/worker'), 1, 'an actor message waits for its node');
    } finally {
      await connection.close();
    }
  });
});
