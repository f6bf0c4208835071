import assert from 'node:assert/strict';
import {
  createSystem,
  defineActor,
  withConfig,
  type ActorSystem,
  type ChildStatus,
  type LinkDelivery,
  type LinkListener,
  type Route,
  type Transport,
} from '../../../internal.ts';
import { amqp10Links } from '../../../transports/amqp10/index.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BridgeControlProtocol, FloatProtocol, OutboundProtocol, PeerInboxProtocol, bridgeManagerActor, floatActor, inboxRegistryActor, outboundQueueOf } from '../../../actors/dmz-float/index.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from '../../transports/rabbitmq/broker.ts';
import { bytes, floatPki, freePort, text, tick, until, type FloatPki } from './support.ts';

const PREFIX = 'internal.peers.';
const INBOX = `${PREFIX}${'ab'.repeat(32)}`;
const BRIDGE = 'a-bridge/bridges';
const REGISTRY = 'a-bridge/registry';

/** The RabbitMQ transport, with each broker-confirmed send written to `events`. */
function recording(transport: RabbitTransport, events: string[]): Transport {
  return new Proxy(transport, {
    get(target, key) {
      if (key === 'route') {
        return (address: string): Route | undefined => {
          const route = target.route(address);
          if (!route || address !== INBOX) return route;
          return Object.assign(Object.create(route) as Route, {
            send: (envelope: Parameters<Route['send']>[0]) => route.send(envelope).then(() => void events.push('broker confirmed')),
          });
        };
      }
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function find(tree: readonly ChildStatus[], address: string): ChildStatus | undefined {
  for (const status of tree) {
    if (status.address === address) return status;
    const below = find(status.children ?? [], address);
    if (below) return below;
  }
  return undefined;
}

describe('BridgeManager and QueueConsumer: the float path end to end (real TLS, real RabbitMQ)', function () {
  this.timeout(30_000);
  const namespace = uniqueNamespace('float');
  const outQueue = outboundQueueOf(BRIDGE, 'node-b');
  let pki: FloatPki;
  let transport: RabbitTransport;
  let node: ActorSystem;
  let dmz: ActorSystem;
  let nodeB: LinkListener;
  const events: string[] = [];
  const received: string[] = [];
  const atB: LinkDelivery[] = [];
  let publicPort: number;

  before(async () => {
    await requireBroker();
    pki = await floatPki();
    publicPort = await freePort();
    nodeB = await amqp10Links.listen({ host: '127.0.0.1', port: 0, tls: pki.nodeB }, (session) =>
      session.onReceiverOpened(() => ({ credit: 10, onDelivery: (delivery) => atB.push(delivery) })),
    );
    dmz = createSystem({ name: 'a-dmz' });
    dmz.spawn(withConfig(floatActor, { public: { host: '127.0.0.1', port: publicPort }, tunnel: { host: '127.0.0.1', port: 0, tls: pki.floatTunnel, bridgeName: 'bridge-a' } }), 'a-dmz/float');
    const { tunnel } = await dmz.ref('a-dmz/float', FloatProtocol).ask('FloatStatus', {});

    transport = await connectRabbit({ url: BROKER_URL, namespace });
    node = createSystem({ name: 'a-bridge', transport: recording(transport, events) });
    node.spawn(defineActor({ protocol: PeerInboxProtocol, setup: () => ({ PeerMessage: ({ bytes: body, peer }) => void received.push(`${peer}: ${text(body)}`) }) }), INBOX);
    const bridgeConfig = {
      float: { host: '127.0.0.1', port: tunnel.port, expectedName: 'float-a-tunnel', tls: pki.bridge },
      publicTls: pki.floatPublic,
      inboxPrefix: PREFIX,
      registry: REGISTRY,
      queryIntervalMs: 100,
      reconnect: { minMs: 50, maxMs: 500 },
      outbound: { tls: pki.nodeA },
    };
    node.spawn(withConfig(bridgeManagerActor, bridgeConfig), BRIDGE);
    node.spawn(withConfig(inboxRegistryActor, { bridgeManager: BRIDGE, inboxes: [INBOX] }), REGISTRY);
    for (let waited = 0; !(await dmz.ref('a-dmz/float', FloatProtocol).ask('FloatStatus', {})).active; waited += 50) {
      if (waited > 10_000) throw new Error('the BridgeManager never activated the float');
      await tick(50);
    }
  });

  after(async () => {
    await node.stop({ drainTimeoutMs: 0 });
    await dmz.stop({ drainTimeoutMs: 0 });
    await nodeB.close();
    await transport.close();
    await cleanup(namespace, [INBOX, BRIDGE, REGISTRY, outQueue]);
  });

  it('settles a peer delivery only after the local broker confirmed the message, which then reaches the inbox with the peer identity', async () => {
    const session = await amqp10Links.connect({ host: '127.0.0.1', port: publicPort, tls: pki.peerB, expectedName: 'float-a' });
    const sender = await session.openSender(INBOX);
    events.push('peer sends');
    await sender.send(bytes('hello A'), { messageId: 'b-1' });
    events.push('peer settled');
    await until(() => received.length === 1, 'the inbox');
    assert.deepEqual(events, ['peer sends', 'broker confirmed', 'peer settled']);
    assert.deepEqual(received, ['node-b: hello A']);

    const unknown = await (await session.openSender(`${PREFIX}${'ef'.repeat(32)}`)).send(bytes('to nobody')).catch((error: unknown) => error);
    assert.ok(unknown instanceof Error && 'condition' in unknown);
    assert.equal((unknown as { condition: string }).condition, 'amqp:not-found');
    await session.close();
  });

  it('rejects a peer message the inbox protocol refuses (a message id of 200 characters) instead of releasing it, so the peer does not resend it forever', async () => {
    const session = await amqp10Links.connect({ host: '127.0.0.1', port: publicPort, tls: pki.peerB, expectedName: 'float-a' });
    const sender = await session.openSender(INBOX);
    const refused = await sender.send(bytes('overlong id'), { messageId: 'x'.repeat(200) }).catch((error: unknown) => error);
    assert.equal((refused as { condition?: string }).condition, 'amqp:decode-error');
    await sender.send(bytes('next'), { messageId: 'b-2' });
    await until(() => received.includes('node-b: next'), 'the inbox');
    assert.equal(received.filter((line) => line === 'node-b: overlong id').length, 0);
    await session.close();
  });

  it('has the Float admit only what the broker path carries: with the transport\'s 1 MiB frames, a body of exactly 1,042,833 bytes arrives, one byte more and 1 MiB are refused message-size-exceeded, nothing is dead-lettered', async () => {
    const largest = 1_042_833; // 1 MiB less the worst PeerMessage envelope from a-bridge/bridges (5,743 bytes)
    assert.equal((await dmz.ref('a-dmz/float', FloatProtocol).ask('FloatStatus', {})).maxMessageBytes, largest);
    const session = await amqp10Links.connect({ host: '127.0.0.1', port: publicPort, tls: pki.peerB, expectedName: 'float-a' });
    const sender = await session.openSender(INBOX);
    const before = received.length;
    const counters = { ...node.counters };
    const outcomes: string[] = [];
    for (const size of [largest, largest + 1, 1024 * 1024]) {
      const body = new Uint8Array(size).fill(0x61);
      outcomes.push(await sender.send(body, { messageId: `size-${size}` }).then(() => 'accepted', (error: unknown) => String((error as { condition?: string }).condition)));
    }
    await session.close();
    assert.deepEqual(outcomes, ['accepted', 'amqp:link:message-size-exceeded', 'amqp:link:message-size-exceeded']);
    await until(() => received.length > before, 'the inbox');
    assert.deepEqual(received.slice(before).map((line) => line.length), [`node-b: `.length + largest]);
    assert.deepEqual(node.counters, counters, 'nothing rejected or dead-lettered inside');
  });

  it('acks an outbound message in the local queue only once the remote node accepted it', async () => {
    await node.ref(REGISTRY, BridgeControlProtocol).tell('BridgeRequest', {
      messageId: 'req-1',
      outbound: { queue: outQueue, peer: { name: 'node-b', host: '127.0.0.1', port: nodeB.address.port, expectedName: 'node-b' } },
    });
    await until(() => find(node.status(), outQueue)?.state === 'running', 'the queue consumer');
    await node.ref(outQueue, OutboundProtocol).tell('Send', { messageId: 'a-1', target: 'internal.peers.b', bytes: bytes('hello B') });
    await until(() => atB.length === 1, 'the remote delivery');
    await tick(100);
    assert.equal(find(node.status(), outQueue)?.handled, 0, 'not acked while the remote holds it');
    assert.equal(text(atB[0].bytes), 'hello B');
    atB[0].accept();
    await until(() => find(node.status(), outQueue)?.handled === 1, 'the local ack');
  });
});
