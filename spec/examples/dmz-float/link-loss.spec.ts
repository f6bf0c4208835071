import assert from 'node:assert/strict';
import { startCuttableProxy, type CuttableProxy } from '../../support/cuttable-proxy.ts';
import { requireBroker } from '../../transports/rabbitmq/broker.ts';
import { bytes, tick, until } from '../../actors/dmz-float/support.ts';
import { allHandled, orgPorts, twoOrganisations, type TwoOrgs } from './two-orgs.ts';

const COUNT = 60;
const CLEAN = { missing: [], unexpected: [], redelivered: [], outOfOrder: [] };
const inOrder = (prefix: string) => Array.from({ length: COUNT }, (_, index) => `${prefix}-${index + 1}`);

/**
 * Exactly once comes from two halves: at least once, because nothing is settled or acked before
 * the next hop has it safe (the peer's delivery settles only after the broker confirm; the local
 * queue acks only after the remote Float settled), so a cut link makes the sender send again; and
 * at most once, because the inbox drops a message id it has handled (the ledger's `receive`), which
 * is what a resend after a lost settlement is.
 */
describe('DMZ float link loss: the tunnel and the outbound link cut mid-stream (sockets destroyed) and restored', function () {
  this.timeout(60_000);
  let setup: TwoOrgs;
  const proxies: CuttableProxy[] = [];

  before(requireBroker);
  afterEach(async () => {
    await setup?.dispose();
    for (const proxy of proxies.splice(0)) await proxy.close();
  });

  it('delivers every message exactly once, in order per peer, after the links come back', async () => {
    const ports = await orgPorts();
    // A's BridgeManager reaches its Float's tunnel, and A's QueueConsumer reaches B's Float, through cuttable proxies.
    const tunnel = await startCuttableProxy({ port: ports.a.tunnel });
    const outbound = await startCuttableProxy({ port: ports.b.public });
    proxies.push(tunnel, outbound);
    setup = await twoOrganisations({ ports: { a: { ...ports.a, dialTunnel: tunnel.port, dialRemote: outbound.port }, b: ports.b } });
    const { orgs, ledger } = setup;
    const { aBridge, bNode } = await orgs.startAll();

    const sending = (async () => {
      for (let n = 1; n <= COUNT; n++) {
        ledger.send('b-node', `b-${n}`);
        ledger.send('a-node', `a-${n}`);
        await Promise.all([orgs.send(bNode, 'b', `b-${n}`, bytes(`to A #${n}`)), orgs.send(aBridge, 'a', `a-${n}`, bytes(`to B #${n}`))]);
        await tick(5);
      }
    })();
    await until(() => ledger.handled('b-node').length >= 10 && ledger.handled('a-node').length >= 10, 'traffic on both links');
    const openBefore = [tunnel.open, outbound.open];
    tunnel.cut();
    outbound.cut();
    const atCut = [ledger.handled('b-node').length, ledger.handled('a-node').length];
    await tick(400);
    tunnel.restore();
    outbound.restore();
    await sending;
    await allHandled(ledger, ['b-node', 'a-node'], COUNT, 20_000);

    assert.deepEqual(openBefore, [1, 1], 'each link was one connection through its proxy when cut');
    assert.ok(atCut[0] < COUNT && atCut[1] < COUNT, `the cut came mid-stream (${atCut.join(', ')} of ${COUNT} handled)`);
    assert.ok(tunnel.accepted >= 2 && outbound.accepted >= 2, 'both links were dialled again');
    assert.deepEqual(ledger.verdict('b-node'), { ...CLEAN, redelivered: ledger.verdict('b-node').redelivered });
    assert.deepEqual(ledger.verdict('a-node'), { ...CLEAN, redelivered: ledger.verdict('a-node').redelivered });
    assert.deepEqual(ledger.handled('b-node'), inOrder('b'));
    assert.deepEqual(ledger.handled('a-node'), inOrder('a'));
    // The Float saw its tunnel go and come back: deactivated, then activated again.
    const events = setup.audit.a.map((line) => line.event);
    assert.deepEqual(events.filter((event) => event === 'activated' || event === 'deactivated'), ['activated', 'deactivated', 'activated']);
  });
});
