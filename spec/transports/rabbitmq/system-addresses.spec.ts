import assert from 'node:assert/strict';
import { UnknownAddressError, createSystem, type ActorSystem } from '../../../internal.ts';
import { connectRabbit, deadLetterQueueName, queueName, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace, Work } from './broker.ts';

/** True when the broker holds `queue` (a passive declare fails, and closes its channel, when it does not). */
async function queueExists(queue: string): Promise<boolean> {
  const { connection, channel } = await rawChannel();
  connection.on('error', () => {});
  channel.on('error', () => {});
  try {
    await channel.checkQueue(queue);
    return true;
  } catch {
    return false;
  } finally {
    await connection.close();
  }
}

describe('RabbitMQ transport: system addresses', function () {
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
    await cleanup(namespace, ['busy/$control', 'down/worker']);
  });

  it('fails an ask to <node>/$control of a node that does not exist at once, and leaves no queue behind', async () => {
    // The type of the error tells the broker's answer from the ask timeout, whatever the machine's speed.
    const error = await system.ref('ghost/$control', Work).ask('echo', { text: 'status?' }, { timeoutMs: 60_000 }).catch((e: unknown) => e);
    assert.ok(error instanceof UnknownAddressError, String(error));
    assert.equal(error.address, 'ghost/$control');
    assert.equal(await queueExists(queueName(namespace, 'ghost/$control')), false);
  });

  it('leaves no queue in a namespace nobody runs (a mistyped --namespace) once the asker is gone', async () => {
    const wrong = `${namespace}-typo`;
    const lost = await connectRabbit({ url: BROKER_URL, namespace: wrong });
    const asker = createSystem({ name: 'cli', transport: lost });
    await assert.rejects(asker.ref('edge/$control', Work).ask('echo', { text: 'status?' }, { timeoutMs: 10_000 }), UnknownAddressError);
    await asker.stop({ drainTimeoutMs: 0 });
    await lost.close();
    assert.equal(await queueExists(queueName(wrong, 'edge/$control')), false);
    assert.equal(await queueExists(deadLetterQueueName(wrong)), false, 'a system that only asks declares no dead-letter queue');
    const { connection, channel } = await rawChannel();
    await channel.deleteExchange(wrong);
    await connection.close();
  });

  it('expires a request waiting in the queue of a node that is up but not reading, after the TTL, but keeps ordinary messages', async () => {
    const { connection, channel } = await rawChannel();
    try {
      // What a node declares for its control actor: the queue goes with its last consumer.
      const control = queueName(namespace, 'busy/$control');
      await channel.assertQueue(control, { durable: false, autoDelete: true, arguments: { 'x-max-length': 10_000, 'x-overflow': 'reject-publish' } });
      await channel.bindQueue(control, namespace, 'busy/$control');
      await system.ref('busy/$control', Work).tell('job', { seq: 1 });
      await system.ref('down/worker', Work).tell('job', { seq: 1 });
      const depth = async (address: string) => (await channel.checkQueue(queueName(namespace, address))).messageCount;
      assert.equal(await depth('busy/$control'), 1, 'confirmed and queued at first');
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(await depth('busy/$control'), 0, 'expired: the node will not act on a stale restart');
      assert.equal(await depth('down/worker'), 1, 'an actor message waits for its node (its queue declared on the first send)');
    } finally {
      await connection.close();
    }
  });
});
