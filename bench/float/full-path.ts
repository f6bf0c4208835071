import { createSystem, defineActor, withConfig } from '../../index.ts';
import { amqp10Links } from '../../transports/amqp10/index.ts';
import { connectRabbit } from '../../transports/rabbitmq/index.ts';
import { FloatProtocol, PeerInboxProtocol, bridgeControlTransient, bridgeManagerActor, floatActor, inboxRegistryActor } from '../../actors/dmz-float/index.ts';
import { benchPki } from './pki.ts';
import type { OpenPath, PathUnderTest } from './path.ts';

const BROKER_URL = process.env.AIRLOCK_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** Unsettled deliveries the peer and the tunnel may have: above the load's window, so credit never throttles it. */
const CREDIT = 1_000;
const BRIDGE = 'bench-node/bridges';
const REGISTRY = 'bench-node/registry';
const INBOX = 'bench-node/internal.peers.bench';

/**
 * The whole inbound float path: a peer's AMQP 1.0 sender over mutual TLS to the Float's public
 * listener, the Float's tunnel to the BridgeManager, its publish to RabbitMQ (a persistent message,
 * publisher confirm), and the settlement all the way back; an inbox consumes behind it. A send
 * resolves when the peer's delivery is settled, i.e. when the broker has the message safe.
 */
export const fullFloatPath: PathUnderTest = {
  name: 'peer → Float → BridgeManager → RabbitMQ',
  async open(): Promise<OpenPath> {
    const { server, client } = await benchPki();
    const namespace = `airlock-bench-float-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const dmz = createSystem({ name: 'bench-dmz' });
    dmz.spawn(withConfig(floatActor, { public: { host: '127.0.0.1', port: 0 }, tunnel: { host: '127.0.0.1', port: 0, tls: server }, creditPerPeer: CREDIT }), 'bench-dmz/float');
    const floatRef = dmz.ref('bench-dmz/float', FloatProtocol);
    const { tunnel } = await floatRef.ask('FloatStatus', {});
    const transport = await connectRabbit({ url: BROKER_URL, namespace, transient: bridgeControlTransient(BRIDGE, REGISTRY) });
    const node = createSystem({ name: 'bench-node', transport });
    node.spawn(defineActor({ protocol: PeerInboxProtocol, setup: () => ({ PeerMessage: () => {} }) }), INBOX);
    node.spawn(
      withConfig(bridgeManagerActor, {
        float: { host: '127.0.0.1', port: tunnel.port, expectedName: 'float-bench', tls: client },
        publicTls: { key: server.key, cert: server.cert, trustRoot: server.ca },
        inboxPrefix: 'bench-node/internal.peers.',
        registry: REGISTRY,
        inboundCredit: CREDIT,
        queryIntervalMs: 100,
      }),
      BRIDGE,
    );
    node.spawn(withConfig(inboxRegistryActor, { bridgeManager: BRIDGE, inboxes: [INBOX] }), REGISTRY);
    let status = await floatRef.ask('FloatStatus', {});
    for (let waited = 0; !status.public; waited += 20) {
      if (waited > 10_000) throw new Error('the BridgeManager never activated the Float');
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = await floatRef.ask('FloatStatus', {});
    }
    const session = await amqp10Links.connect({ host: '127.0.0.1', port: status.public.port, tls: client, expectedName: 'float-bench' });
    const sender = await session.openSender(INBOX);
    return {
      send: async (bytes, id) => void (await sender.send(bytes, { messageId: id })),
      async close() {
        await session.close();
        await node.stop({ drainTimeoutMs: 10_000 });
        await dmz.stop({ drainTimeoutMs: 0 });
        await transport.close();
        await deleteNamespace(namespace);
      },
    };
  },
};

/** Removes what a bench run declared on the broker. */
async function deleteNamespace(namespace: string): Promise<void> {
  const amqp = await import('amqplib');
  const connection = await amqp.connect(BROKER_URL);
  const channel = await connection.createChannel();
  for (const address of [BRIDGE, REGISTRY, INBOX, '$dead-letters']) await channel.deleteQueue(`${namespace}:${address}`);
  await channel.deleteExchange(namespace);
  await connection.close();
}
