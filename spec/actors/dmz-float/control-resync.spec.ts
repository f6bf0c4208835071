import assert from 'node:assert/strict';
import { createSystem, defineActor, withConfig, type ActorSystem } from '../../../index.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BridgeControlProtocol, bridgeControlTransient, bridgeManagerActor, inboxRegistryActor } from '../../../actors/dmz-float/index.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace } from '../../transports/rabbitmq/broker.ts';
import { floatPki, freePort, tick, until } from './support.ts';

const BRIDGE = 'a-bridge/bridges';
const REGISTRY = 'a-node/registry';
const INBOX = 'a-node/internal.peers.main';

/** A node process: its own connection to the broker, the control addresses transient. */
async function startNode(name: string, namespace: string): Promise<{ system: ActorSystem; transport: RabbitTransport }> {
  const transport = await connectRabbit({ url: BROKER_URL, namespace, transient: bridgeControlTransient(BRIDGE, REGISTRY) });
  return { system: createSystem({ name, transport }), transport };
}

async function stopNode(node: { system: ActorSystem; transport: RabbitTransport }): Promise<void> {
  await node.system.stop({ drainTimeoutMs: 0 });
  await node.transport.close();
}

/** What the broker says of `queue`: 'durable', 'transient' (declared non-durable) or 'absent'. */
async function queueKind(queue: string): Promise<'durable' | 'transient' | 'absent'> {
  const { connection } = await rawChannel();
  try {
    const probe = await connection.createChannel();
    probe.on('error', () => {});
    try {
      await probe.checkQueue(queue);
    } catch {
      return 'absent';
    }
    const declare = await connection.createChannel();
    declare.on('error', () => {});
    // Re-declaring with other properties is refused (406): a durable declaration of a transient queue fails.
    return (await declare.assertQueue(queue, { durable: false, autoDelete: true, arguments: { 'x-max-length': 10_000, 'x-overflow': 'reject-publish' } }).then(
      () => 'transient',
      () => 'durable',
    )) as 'durable' | 'transient';
  } finally {
    await connection.close().catch(() => {});
  }
}

describe('Bridge control protocol over RabbitMQ: non-durable, and restarting any party re-syncs', function () {
  this.timeout(30_000);
  const namespace = uniqueNamespace('control');
  const running: { system: ActorSystem; transport: RabbitTransport }[] = [];

  before(requireBroker);
  afterEach(async () => {
    for (const node of running.splice(0).reverse()) await stopNode(node).catch(() => {});
  });
  after(() => cleanup(namespace, [BRIDGE, REGISTRY]));

  it('puts control messages on non-durable queues that go with their node, and a restarted registry announces itself again', async () => {
    const snapshots: { correlationId?: string; inboxes: string[] }[] = [];
    const bridgeNode = await startNode('a-bridge', namespace);
    running.push(bridgeNode);
    // Plays the BridgeManager: records what the registry tells it.
    bridgeNode.system.spawn(
      defineActor({ protocol: BridgeControlProtocol, setup: () => ({ QueueQuery: () => {}, QueueSnapshot: (snapshot) => void snapshots.push(snapshot), BridgeRequest: () => {} }) }),
      BRIDGE,
    );
    await bridgeNode.transport.ready();

    for (let incarnation = 1; incarnation <= 2; incarnation++) {
      const registryNode = await startNode('a-node', namespace);
      registryNode.system.spawn(withConfig(inboxRegistryActor, { bridgeManager: BRIDGE, inboxes: [INBOX] }), REGISTRY);
      await until(() => snapshots.length === incarnation, `snapshot ${incarnation}`);
      assert.equal(await queueKind(bridgeNode.transport.queueOf(REGISTRY)), 'transient');
      await stopNode(registryNode);
      // Auto-deleted with its last consumer: nothing of the old party survives its restart.
      assert.equal(await queueKind(bridgeNode.transport.queueOf(REGISTRY)), 'absent');
    }
    // Unsolicited (no correlation id), once per start of the registry.
    assert.deepEqual(
      snapshots.map(({ correlationId, inboxes }) => ({ correlationId, inboxes })),
      [
        { correlationId: undefined, inboxes: [INBOX] },
        { correlationId: undefined, inboxes: [INBOX] },
      ],
    );
    assert.equal(await queueKind(bridgeNode.transport.queueOf(BRIDGE)), 'transient');
  });

  it('a restarted BridgeManager queries again until the registry answers, then stops asking', async () => {
    const pki = await floatPki();
    const queries: string[] = [];
    const registryNode = await startNode('a-node', namespace);
    running.push(registryNode);
    // Plays the registry: answers each query with a snapshot carrying the query's id.
    registryNode.system.spawn(
      defineActor({
        protocol: BridgeControlProtocol,
        setup: (ctx) => ({
          QueueQuery: ({ messageId, replyTo }) => {
            queries.push(messageId);
            return ctx.ref(replyTo, BridgeControlProtocol).tell('QueueSnapshot', { messageId: `answer-${messageId}`, correlationId: messageId, inboxes: [INBOX], outbound: [] });
          },
          QueueSnapshot: () => {},
          BridgeRequest: () => {},
        }),
      }),
      REGISTRY,
    );
    await registryNode.transport.ready();
    const config = {
      // No Float listens there: the bridge keeps redialling, which this test does not look at.
      float: { host: '127.0.0.1', port: await freePort(), expectedName: 'float-a-tunnel', tls: pki.bridge },
      publicTls: pki.floatPublic,
      inboxPrefix: 'a-node/internal.peers.',
      registry: REGISTRY,
      queryIntervalMs: 100,
      reconnect: { minMs: 5_000, maxMs: 5_000 },
    };
    for (let incarnation = 1; incarnation <= 2; incarnation++) {
      const bridgeNode = await startNode('a-bridge', namespace);
      bridgeNode.system.spawn(withConfig(bridgeManagerActor, config), BRIDGE);
      await until(() => queries.length >= incarnation, `query ${incarnation}`);
      const asked = queries.length;
      // Answered: a synced bridge asks no more (it would every 100 ms otherwise).
      await tick(500);
      assert.equal(queries.length, asked);
      await stopNode(bridgeNode);
    }
    assert.equal(new Set(queries).size, queries.length);
  });
});
