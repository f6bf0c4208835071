import assert from 'node:assert/strict';
import { createSystem, defineActor, type ActorSystem } from '../../../internal.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, Work, cleanup, rawChannel, requireBroker, uniqueNamespace } from './broker.ts';

const worker = defineActor({
  protocol: Work,
  setup: () => ({ job: () => {}, crash: () => {}, echo: ({ text }) => ({ text, pid: process.pid }) }),
});

/**
 * A removed dynamic child's queue is deleted (spec/node/dynamic-children-rabbit.spec.ts); a system
 * that stops removes nobody, and its durable mailboxes stay for its next start.
 */
describe('RabbitMQ transport: the queue of an address freed for good', function () {
  // Real broker round trips on a busy 2-core machine: milliseconds each, 30 s is far past them.
  this.timeout(30_000);
  const namespace = uniqueNamespace('freed');
  let transport: RabbitTransport;
  let system: ActorSystem;

  before(async () => {
    await requireBroker();
    transport = await connectRabbit({ url: BROKER_URL, namespace });
    system = createSystem({ name: 'node', transport });
  });

  after(async () => {
    await system.stop({ drainTimeoutMs: 100 });
    await transport.close();
    await cleanup(namespace, ['solo/stays']);
  });

  async function queueExists(address: string): Promise<boolean> {
    const { connection } = await rawChannel();
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => {});
      return await channel.checkQueue(transport.queueOf(address)).then(() => true, () => false);
    } finally {
      await connection.close().catch(() => {});
    }
  }

  it('a system that stops frees no address: the queue stays, with what waits in it, for the next start', async () => {
    const other = await connectRabbit({ url: BROKER_URL, namespace });
    const node = createSystem({ name: 'other', transport: other });
    node.spawn(worker, 'solo/stays');
    await other.ready();
    await node.stop();
    await other.close();
    assert.equal(await queueExists('solo/stays'), true);
    await system.ref('solo/stays', Work).tell('job', { seq: 1 });
    const { connection, channel } = await rawChannel();
    try {
      assert.equal((await channel.checkQueue(transport.queueOf('solo/stays'))).messageCount, 1);
    } finally {
      await connection.close();
    }
  });
});
