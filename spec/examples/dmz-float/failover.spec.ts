import assert from 'node:assert/strict';
import { createSystem, withConfig, type ActorSystem, type LinkSession } from '../../../index.ts';
import { amqp10Links } from '../../../transports/amqp10/index.ts';
import { connectRabbit, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { FloatProtocol, bridgeControlTransient, bridgeManagerActor, floatActor, inboxRegistryActor } from '../../../actors/dmz-float/index.ts';
import { DeliveryLedger } from '../../support/delivery-ledger.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from '../../transports/rabbitmq/broker.ts';
import { bytes, floatPki, freePort, tick, until } from '../../actors/dmz-float/support.ts';
import { allHandled, ledgerInbox, orgPorts, twoOrganisations, type TwoOrgs } from './two-orgs.ts';

const CLEAN = { missing: [], unexpected: [], redelivered: [], outOfOrder: [] };
const ids = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => `${prefix}-${from + index}`);

describe('DMZ float failover: the passive BridgeManager takes over, and a warm Float takes the place of a gone one', function () {
  this.timeout(60_000);
  let setup: TwoOrgs | undefined;

  before(requireBroker);
  afterEach(async () => {
    await setup?.dispose();
    setup = undefined;
  });

  it('two BridgeManagers on one lease: stopping the active one’s node hands the Float to the passive one, and nothing is lost', async () => {
    setup = await twoOrganisations({ ports: await orgPorts(), standby: true });
    const { orgs, ledger, audit } = setup;
    const aDmz = await orgs.startNode('a-dmz');
    const first = await orgs.startNode('a-bridge');
    const bNode = await orgs.startNode('b-node');
    const floatStatus = () => aDmz.running.system.ref('a-dmz/float', FloatProtocol).ask('FloatStatus', {});
    for (let waited = 0; !(await floatStatus()).active; waited += 50) {
      if (waited > 10_000) throw new Error('the first BridgeManager never activated the float');
      await tick(50);
    }
    const second = await orgs.startNode('a-bridge');
    await tick(300);
    // Standing by: it did not dial the Float (which would have refused it) and took no message.
    assert.deepEqual(audit.a.map((line) => line.event), ['activated']);

    const sendBoth = async (from: number, to: number, aNode = first) => {
      for (let n = from; n <= to; n++) {
        ledger.send('b-node', `b-${n}`);
        ledger.send('a-node', `a-${n}`);
        await Promise.all([orgs.send(bNode, 'b', `b-${n}`, bytes(`to A #${n}`)), orgs.send(aNode, 'a', `a-${n}`, bytes(`to B #${n}`))]);
      }
    };
    await sendBoth(1, 20);
    await allHandled(ledger, ['b-node', 'a-node'], 20);

    // B keeps sending while A's active node stops.
    const fromB = (async () => {
      for (let n = 21; n <= 60; n++) {
        ledger.send('b-node', `b-${n}`);
        await orgs.send(bNode, 'b', `b-${n}`, bytes(`to A #${n}`));
        await tick(10);
      }
    })();
    await until(() => ledger.handled('b-node').length >= 25, 'traffic before the stop');
    await first.stop();
    await until(() => audit.a.filter((line) => line.event === 'activated').length === 2, 'the second activation', { withinMs: 15_000 });
    for (let n = 21; n <= 40; n++) {
      ledger.send('a-node', `a-${n}`);
      await orgs.send(second, 'a', `a-${n}`, bytes(`to B #${n}`));
    }
    await fromB;
    await allHandled(ledger, ['b-node'], 60, 20_000);
    await allHandled(ledger, ['a-node'], 40, 20_000);

    assert.deepEqual({ ...ledger.verdict('b-node'), redelivered: [] }, CLEAN);
    assert.deepEqual({ ...ledger.verdict('a-node'), redelivered: [] }, CLEAN);
    assert.deepEqual(ledger.handled('b-node'), ids('b', 1, 60));
    assert.deepEqual(ledger.handled('a-node'), ids('a', 1, 40));
    const lifecycle = audit.a.filter((line) => line.event === 'activated' || line.event === 'deactivated').map((line) => line.event);
    assert.deepEqual(lifecycle, ['activated', 'deactivated', 'activated']);
  });

  it('a hot-warm pool of two Floats: the BridgeManager activates the second when the first is gone, and peers go on through it', async () => {
    const pki = await floatPki();
    const namespace = uniqueNamespace('float-pool');
    const BRIDGE = 'a-bridge/bridges';
    const REGISTRY = 'a-bridge/registry';
    const INBOX = 'a-bridge/internal.peers.main';
    const ledger = new DeliveryLedger();
    const floats: { system: ActorSystem; public: number; tunnel: number }[] = [];
    for (const name of ['a-dmz-1', 'a-dmz-2']) {
      const [publicPort, tunnelPort] = [await freePort(), await freePort()];
      const system = createSystem({ name });
      system.spawn(withConfig(floatActor, { public: { host: '127.0.0.1', port: publicPort }, tunnel: { host: '127.0.0.1', port: tunnelPort, tls: pki.floatTunnel, bridgeName: 'bridge-a' } }), `${name}/float`);
      floats.push({ system, public: publicPort, tunnel: tunnelPort });
    }
    const transport: RabbitTransport = await connectRabbit({ url: BROKER_URL, namespace, transient: bridgeControlTransient(BRIDGE, REGISTRY) });
    const node = createSystem({ name: 'a-bridge', transport });
    try {
      node.spawn(ledgerInbox(ledger, []), INBOX);
      const pool = floats.map((member) => ({ host: '127.0.0.1', port: member.tunnel, expectedName: 'float-a-tunnel', tls: pki.bridge }));
      node.spawn(withConfig(bridgeManagerActor, { float: pool, publicTls: pki.floatPublic, inboxPrefix: 'a-bridge/internal.peers.', registry: REGISTRY, queryIntervalMs: 100, reconnect: { minMs: 50, maxMs: 300 } }), BRIDGE);
      node.spawn(withConfig(inboxRegistryActor, { bridgeManager: BRIDGE, inboxes: [INBOX] }), REGISTRY);
      const active = async (index: number) => (await floats[index].system.ref(`a-dmz-${index + 1}/float`, FloatProtocol).ask('FloatStatus', {})).active;
      for (let waited = 0; !(await active(0)); waited += 50) {
        if (waited > 10_000) throw new Error('the first float was never activated');
        await tick(50);
      }
      assert.equal(await active(1), false, 'the warm float stays closed');

      const sendThrough = async (port: number, from: number, to: number) => {
        const session: LinkSession = await amqp10Links.connect({ host: '127.0.0.1', port, tls: pki.peerB, expectedName: 'float-a' });
        const sender = await session.openSender(INBOX);
        for (let n = from; n <= to; n++) {
          ledger.send('node-b', `b-${n}`);
          await sender.send(bytes(`#${n}`), { messageId: `b-${n}` });
        }
        await session.close();
      };
      await sendThrough(floats[0].public, 1, 10);
      await floats[0].system.stop({ drainTimeoutMs: 0 });
      for (let waited = 0; !(await active(1)); waited += 50) {
        if (waited > 10_000) throw new Error('the warm float was never activated');
        await tick(50);
      }
      await sendThrough(floats[1].public, 11, 20);
      await allHandled(ledger, ['node-b'], 20);
      assert.deepEqual(ledger.verdict('node-b'), CLEAN);
      assert.deepEqual(ledger.handled('node-b'), ids('b', 1, 20));
    } finally {
      await node.stop({ drainTimeoutMs: 0 });
      for (const member of floats) await member.system.stop({ drainTimeoutMs: 0 });
      await transport.close();
      await cleanup(namespace, [BRIDGE, REGISTRY, INBOX]);
    }
  });
});
