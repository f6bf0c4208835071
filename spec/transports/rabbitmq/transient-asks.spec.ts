import assert from 'node:assert/strict';
import { AskTimeoutError, createSystem, defineActor, type ActorSystem } from '../../../internal.ts';
import { connectRabbit, TransientMessageLostError, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { startCuttableProxy, until, type CuttableProxy } from '../../../testing/index.ts';
import { BROKER_URL, Work, cleanup, rawChannel, requireBroker, uniqueNamespace } from './broker.ts';

/**
 * `ask(…, { delivery: 'transient' })` over a real broker: answered like any ask, carried
 * non-persistent and at most once; what that excludes (a queue nobody consumes, a connection lost
 * before the confirm) ends in a typed error, never a hang; durable messages are unchanged.
 */
describe('RabbitMQ transport: transient asks', function () {
  // Real broker round trips on a shared, busy machine: generous, never reached when all is well.
  this.timeout(30_000);
  const namespace = uniqueNamespace('transient');
  const handled: string[] = [];
  const worker = defineActor({
    protocol: Work,
    setup: () => ({ job: ({ seq }) => void handled.push(`job ${seq}`), crash: () => {}, echo: ({ text }) => (handled.push(`echo ${text}`), { text, pid: process.pid }) }),
  });
  const transports: RabbitTransport[] = [];
  const systems: ActorSystem[] = [];

  async function node(name: string, url = BROKER_URL): Promise<{ system: ActorSystem; transport: RabbitTransport }> {
    const transport = await connectRabbit({ url, namespace, reconnect: { minMs: 50, maxMs: 200 } });
    const system = createSystem({ name, transport });
    transports.push(transport);
    systems.push(system);
    return { system, transport };
  }

  before(requireBroker);
  beforeEach(() => void (handled.length = 0));
  after(async () => {
    for (const system of systems) await system.stop({ drainTimeoutMs: 100 });
    for (const transport of transports) await transport.close();
    await cleanup(namespace, ['core/work', 'gone/inbox']);
  });

  it('is delivered and answered across two nodes, as a durable ask is', async () => {
    const core = await node('core');
    core.system.spawn(worker, 'core/work');
    await core.transport.ready();
    const edge = await node('edge');
    const work = edge.system.ref('core/work', Work);
    const replies = await Promise.all([
      work.ask('echo', { text: 'transient' }, { delivery: 'transient', timeoutMs: 10_000 }),
      work.ask('echo', { text: 'durable' }, { timeoutMs: 10_000 }),
    ]);
    assert.deepEqual(replies.map((reply) => reply.text), ['transient', 'durable']);
    assert.deepEqual(handled.sort(), ['echo durable', 'echo transient']);
  });

  it('travels non-persistent with its timeout as expiry; in a queue nobody consumes it ends as AskTimeoutError and expires', async () => {
    // The queue of an actor whose node is gone: declared and bound (a node ran it), not consumed any more.
    const gone = await node('gone');
    gone.system.spawn(worker, 'gone/inbox');
    await gone.transport.ready();
    await gone.system.stop({ drainTimeoutMs: 0 });
    await gone.transport.close();
    const edge = await node('edge-2');
    const inbox = edge.system.ref('gone/inbox', Work);
    const transient = inbox.ask('echo', { text: 'transient' }, { delivery: 'transient', timeoutMs: 1_500 }).catch((error: unknown) => error);
    const durable = inbox.ask('echo', { text: 'durable' }, { timeoutMs: 1_500 }).catch((error: unknown) => error);
    await until(() => edge.transport.unconfirmed === 0, 'the broker to confirm both asks', { withinMs: 10_000 });
    const { connection, channel } = await rawChannel();
    try {
      const queue = edge.transport.queueOf('gone/inbox');
      const first = await channel.get(queue, { noAck: false });
      const second = await channel.get(queue, { noAck: false });
      assert.ok(first && second, 'both asks wait in the queue');
      const byMode = new Map([first, second].map((message) => [message.properties.deliveryMode, message.properties.expiration]));
      // 1: non-persistent (the transient ask); 2: persistent (the durable one, unchanged). Both expire with their asker.
      assert.deepEqual(Object.fromEntries(byMode), { 1: '1500', 2: '1500' });
      channel.nackAll(true);
      for (const outcome of [await transient, await durable]) assert.ok(outcome instanceof AskTimeoutError, String(outcome));
      // Past their expiry the broker drops both: nothing is left to be handled by a node started later.
      await until(async () => (await channel.checkQueue(queue)).messageCount === 0, 'the expired asks to leave the queue', { withinMs: 10_000 });
    } finally {
      await connection.close();
    }
    assert.deepEqual(handled, []);
  });

  describe('a connection lost before the confirm', () => {
    let proxy: CuttableProxy;
    before(async () => {
      proxy = await startCuttableProxy({ port: Number(new URL(BROKER_URL).port || 5672) });
    });
    after(() => proxy.close());

    it('fails a transient ask at once with TransientMessageLostError, where a durable tell is published again and handled once', async () => {
      const core = await node('core-3');
      core.system.spawn(worker, 'core/work');
      await core.transport.ready();
      const url = new URL(BROKER_URL);
      url.port = String(proxy.port);
      const edge = await node('edge-3', url.href);
      // Its reply queue consuming, so the ask is written at once rather than once that queue is there.
      await edge.transport.ready();
      const work = edge.system.ref('core/work', Work);
      const started = Date.now();
      // Both written to the socket in this turn, and the link cut in the same turn: neither reaches the broker.
      const transient = work.ask('echo', { text: 'lost' }, { delivery: 'transient', timeoutMs: 20_000 }).catch((error: unknown) => error);
      const tell = work.tell('job', { seq: 7 });
      proxy.cut();
      setTimeout(() => proxy.restore(), 100);
      const outcome = await transient;
      assert.ok(outcome instanceof TransientMessageLostError, String(outcome));
      assert.equal(outcome.code, 'TRANSIENT_MESSAGE_LOST');
      // Long before its 20 s timeout (the bound is loose: a busy machine reconnects slowly).
      assert.ok(Date.now() - started < 15_000);
      await tell;
      await until(() => handled.includes('job 7'), 'the durable tell to be handled after the reconnect', { withinMs: 10_000 });
      assert.deepEqual(handled, ['job 7']);
    });

    it('publishes a durable ask again after the reconnect, once its reply queue is declared again, and it is answered', async () => {
      const core = await node('core-4');
      core.system.spawn(worker, 'core/work');
      await core.transport.ready();
      const url = new URL(BROKER_URL);
      url.port = String(proxy.port);
      const edge = await node('edge-4', url.href);
      await edge.transport.ready();
      // Written to the socket and the link cut in the same turn: the ask waits in the outbox for the next connection.
      const durable = edge.system.ref('core/work', Work).ask('echo', { text: 'again' }, { timeoutMs: 20_000 });
      proxy.cut();
      setTimeout(() => proxy.restore(), 100);
      // Its reply queue (exclusive, gone with the old connection) must exist again before the ask
      // goes out, or the answer is unroutable and the ask ends at its timeout.
      assert.deepEqual(await durable, { text: 'again', pid: process.pid });
      assert.deepEqual(handled, ['echo again']);
    });
  });
});
