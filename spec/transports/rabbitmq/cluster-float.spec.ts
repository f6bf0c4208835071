import assert from 'node:assert/strict';
import { FloatProtocol } from '../../../actors/dmz-float/index.ts';
import { bytes, tick, until } from '../../actors/dmz-float/support.ts';
import { allHandled, orgPorts, twoOrganisations, type TwoOrgs } from '../../examples/dmz-float/two-orgs.ts';
import { cluster, CLUSTER_START_MS, deleteClusterNamespace, healCluster, requireCluster } from './cluster.ts';

const CLEAN = { missing: [], unexpected: [], redelivered: [], outOfOrder: [] };
const ids = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => `${prefix}-${from + index}`);

/**
 * The DMZ float on the test cluster (`url` a comma list): two BridgeManagers of A contend for the
 * Float's lease (a single-active-consumer queue, classic, on the node that declared it). Killing
 * that node, which every connection of the example is on, takes the lease queue and the active
 * holder's connection: both move to the next node, contend again, one activates the Float, and the
 * traffic both ways goes on with nothing lost (the mailboxes are quorum queues).
 */
describe('RabbitMQ cluster: the DMZ float and its HA lease across a broker node loss', function () {
  this.timeout(CLUSTER_START_MS + 90_000);
  let setup: TwoOrgs | undefined;

  before(requireCluster);
  after(async () => {
    // The node back first: with a member down, a quorum queue's delete (and a channel's close) waits on it.
    await healCluster();
    await setup?.orgs.stopAll();
    if (setup) for (const namespace of Object.values(setup.namespaces)) await deleteClusterNamespace(namespace);
  });

  it('hands the lease over and loses no message when the node holding the lease queue dies', async () => {
    setup = await twoOrganisations({ ports: await orgPorts(), standby: true, url: cluster.urls.join(',') });
    const { orgs, ledger, audit } = setup;
    const aDmz = await orgs.startNode('a-dmz');
    const first = await orgs.startNode('a-bridge');
    const bNode = await orgs.startNode('b-node');
    const floatActive = async () => (await aDmz.running.system.ref('a-dmz/float', FloatProtocol).ask('FloatStatus', {})).active;
    await until(floatActive, 'the first BridgeManager activates the Float', { withinMs: 15_000 });
    const second = await orgs.startNode('a-bridge');
    assert.equal(first.transport!.brokerUrl, second.transport!.brokerUrl, 'both contenders on the first node');

    let sent = 0;
    const sendBoth = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const n = ++sent;
        ledger.send('b-node', `b-${n}`);
        ledger.send('a-node', `a-${n}`);
        // A's outbound goes through whichever BridgeManager holds the lease: any A node puts it on the queue.
        await Promise.all([orgs.send(bNode, 'b', `b-${n}`, bytes(`to A #${n}`)), orgs.send(second, 'a', `a-${n}`, bytes(`to B #${n}`))]);
      }
    };
    await sendBoth(20);
    await allHandled(ledger, ['b-node', 'a-node'], 20);

    const activations = () => audit.a.filter((line) => line.event === 'activated').length;
    const before = activations();
    const killedAt = Date.now();
    await cluster.kill(0);
    await until(() => activations() > before, 'the Float activated again after the node loss', { withinMs: 30_000 });
    const handover = Date.now() - killedAt;
    await sendBoth(20);
    await allHandled(ledger, ['b-node', 'a-node'], 40, 30_000);
    console.log(`      ${cluster.nodes[0]!.name} killed: the Float active again after ${handover} ms; 40 + 40 messages handled`);

    assert.deepEqual({ ...ledger.verdict('b-node'), redelivered: [] }, CLEAN);
    assert.deepEqual({ ...ledger.verdict('a-node'), redelivered: [] }, CLEAN);
    assert.deepEqual(ledger.handled('b-node'), ids('b', 1, 40));
    assert.deepEqual(ledger.handled('a-node'), ids('a', 1, 40));
    await tick(200);
    assert.equal(await floatActive(), true);
  });
});
