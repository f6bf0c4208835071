import assert from 'node:assert/strict';
import { AskTimeoutError, UnknownAddressError, createSystem, defineActor, type ActorSystem } from '../../../internal.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, Work, cleanup, rawChannel, requireBroker, uniqueNamespace } from './broker.ts';
import { waitFor } from './children.ts';

/** As in-process: an ask nobody can answer fails at once, and leaves nothing behind to be handled later. */
describe('RabbitMQ transport: an ask to an address no actor hosts', function () {
  this.timeout(30_000);
  const namespace = uniqueNamespace('unknown');
  const addresses = ['core/customers/alice', 'core/customers/bob'];
  let transport: RabbitTransport;
  let system: ActorSystem;

  before(async () => {
    await requireBroker();
    transport = await connectRabbit({ url: BROKER_URL, namespace });
    system = createSystem({ name: 'caller', transport });
  });

  after(async () => {
    await system.stop({ drainTimeoutMs: 100 });
    await transport.close();
    await cleanup(namespace, addresses);
  });

  async function queueExists(address: string): Promise<{ messageCount: number } | undefined> {
    const { connection } = await rawChannel();
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => {});
      return await channel.checkQueue(transport.queueOf(address));
    } catch {
      return undefined;
    } finally {
      await connection.close().catch(() => {});
    }
  }

  it('fails at once with UnknownAddressError, the broker returning it, and declares no queue', async () => {
    // A timeout far beyond what a return takes: reaching it would be the bug (a 60 s ask left waiting).
    const error = await system.ref('core/customers/alice', Work).ask('echo', { text: 'hi' }, { timeoutMs: 60_000 }).catch((e: unknown) => e);
    assert.ok(error instanceof UnknownAddressError, String(error));
    assert.equal(error.code, 'UNKNOWN_ADDRESS');
    assert.equal(await queueExists('core/customers/alice'), undefined);
  });

  it('an ask left in a queue nobody consumes expires with its asker: the actor started later never handles it', async () => {
    // A tell declares the queue and waits there for its node (tells to a node not started yet wait).
    await system.ref('core/customers/bob', Work).tell('job', { seq: 1 });
    const error = await system.ref('core/customers/bob', Work).ask('echo', { text: 'late' }, { timeoutMs: 200 }).catch((e: unknown) => e);
    assert.ok(error instanceof AskTimeoutError, String(error));
    const handled: string[] = [];
    const worker = defineActor({
      protocol: Work,
      setup: () => ({ job: ({ seq }) => void handled.push(`job ${seq}`), crash: () => {}, echo: ({ text }) => (handled.push(`echo ${text}`), { text, pid: 0 }) }),
    });
    const other = await connectRabbit({ url: BROKER_URL, namespace });
    const node = createSystem({ name: 'core', transport: other });
    try {
      node.spawn(worker, 'core/customers/bob');
      // A queue is first in, first out: once a tell sent now is handled, the ask before it would have been.
      await system.ref('core/customers/bob', Work).tell('job', { seq: 2 });
      await waitFor('the tell sent after the ask', () => handled.includes('job 2'), 10_000);
      assert.deepEqual(handled, ['job 1', 'job 2']);
      assert.equal((await queueExists('core/customers/bob'))?.messageCount, 0);
    } finally {
      await node.stop({ drainTimeoutMs: 100 });
      await other.close();
    }
  });
});
