import assert from 'node:assert/strict';
import {
  child,
  ControlKey,
  defineTopology,
  dynamicSupervisor,
  run,
  supervisor,
  type AirlockError,
  type RunningTopology,
} from '../../internal.ts';
import { connectRabbit } from '../../transports/rabbitmq/index.ts';
import { Customer, Customers, customerWorker, managerOf } from '../support/dynamic-children.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace } from '../transports/rabbitmq/broker.ts';

/**
 * Three nodes, each its own system on the real broker: `b` hosts the dynamic supervisor of
 * customers; `a`'s manager shares `b`'s control key, `c`'s manager has a key of its own.
 */
const topology = defineTopology('dynrabbit', {
  a: supervisor({ children: [child('manager', managerOf('b/customers'))] }),
  b: supervisor({ children: [child('customers', dynamicSupervisor({ child: customerWorker }))] }),
  c: supervisor({ children: [child('manager', managerOf('b/customers'))] }),
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = (await promise.then(
    () => assert.fail('expected a refusal'),
    (caught: unknown) => caught,
  )) as AirlockError;
  return error.code;
}

describe('ctx.dynamicSupervisor over RabbitMQ: an actor of node a manages children of node b', function () {
  // Real broker round trips on a busy 2-core machine: each takes milliseconds, 30 s is far past any of them.
  this.timeout(30_000);
  const namespace = uniqueNamespace('dynchildren');
  const shared = ControlKey.generate();
  const nodes: RunningTopology[] = [];

  before(async () => {
    await requireBroker();
    for (const [node, key] of [['b', shared], ['a', shared], ['c', ControlKey.generate()]] as const) {
      const transport = await connectRabbit({ url: BROKER_URL, namespace });
      nodes.push(run(topology, { node, transport, control: { key } }));
      // `run` returns before the broker has the node's queues; an ask to one not yet declared fails at once (UNKNOWN_ADDRESS).
      await transport.ready();
    }
  });

  after(async () => {
    for (const running of nodes.reverse()) {
      await running.stop();
      await running.system.transport.close();
    }
    await cleanup(namespace, ['a/manager', 'c/manager', 'b/customers/alice', 'b/customers/bob', 'a/$control', 'b/$control', 'c/$control']);
  });

  const [a, c] = [() => nodes[1], () => nodes[2]];

  it('starts a child on b with its config, which a then asks; lists it; stops and removes it', async () => {
    const manager = a().ref('a/manager', Customers);
    assert.deepEqual(await manager.ask('open', { id: 'alice', config: { limit: 3 } }), { id: 'alice', address: 'b/customers/alice', state: 'running', restarts: 0 });
    assert.equal(await a().ref('b/customers/alice', Customer).ask('limit', {}), 3);
    assert.deepEqual(await manager.ask('list', {}), [{ id: 'alice', address: 'b/customers/alice', state: 'running', restarts: 0 }]);
    assert.equal(await refusal(manager.ask('open', { id: 'alice', config: { limit: 3 } })), 'DUPLICATE_CHILD');
    assert.equal(await refusal(manager.ask('open', { id: 'bob', config: { limit: 0 } })), 'INVALID_SPEC');
    assert.equal(await refusal(manager.ask('open', { id: 'bob', config: { limit: 1 }, at: 'b' })), 'NOT_A_DYNAMIC_SUPERVISOR');
    assert.deepEqual(await manager.ask('close', { id: 'alice' }), { id: 'alice', address: 'b/customers/alice', state: 'stopped', restarts: 0 });
    assert.deepEqual(await manager.ask('list', {}), []);
  });

  it('a stopped child is gone from the broker too: an ask to it fails at once with UNKNOWN_ADDRESS, as in-process, and its queue is deleted', async () => {
    const manager = a().ref('a/manager', Customers);
    await manager.ask('open', { id: 'bob', config: { limit: 2 } });
    assert.equal(await a().ref('b/customers/bob', Customer).ask('limit', {}), 2);
    await manager.ask('close', { id: 'bob' });
    // A timeout far past a broker's return: reaching it would be the bug (the ask waiting in a queue nobody reads).
    assert.equal(await refusal(a().ref('b/customers/bob', Customer).ask('limit', {}, { timeoutMs: 60_000 })), 'UNKNOWN_ADDRESS');
    const { connection } = await rawChannel();
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => {});
      assert.equal(await channel.checkQueue(`${namespace}:b/customers/bob`).then(() => 'there', () => 'gone'), 'gone');
    } finally {
      await connection.close().catch(() => {});
    }
    // Its id is free again: started anew, it declares its queue and answers.
    await manager.ask('open', { id: 'bob', config: { limit: 5 } });
    assert.equal(await a().ref('b/customers/bob', Customer).ask('limit', {}), 5);
    await manager.ask('close', { id: 'bob' });
  });

  it('refuses an actor whose node holds another control key (CONTROL_UNAUTHORIZED); its list, a status read, is open', async () => {
    const outsider = c().ref('c/manager', Customers);
    assert.equal(await refusal(outsider.ask('open', { id: 'bob', config: { limit: 1 } })), 'CONTROL_UNAUTHORIZED');
    assert.deepEqual(await outsider.ask('list', {}), []);
  });
});
