import assert from 'node:assert/strict';
import { requireBroker } from '../../transports/rabbitmq/broker.ts';
import { bytes } from '../../actors/dmz-float/support.ts';
import { allHandled, orgPorts, twoOrganisations, type TwoOrgs } from './two-orgs.ts';

const COUNT = 40;
const CLEAN = { missing: [], unexpected: [], redelivered: [], outOfOrder: [] };

describe('DMZ float end to end: the example topology over real TLS and RabbitMQ', function () {
  this.timeout(40_000);
  let setup: TwoOrgs;

  before(requireBroker);
  afterEach(() => setup?.dispose());

  it('B reaches A’s inbox through A’s Float, A reaches B through its outbound bridge: every message once, in order per peer', async () => {
    setup = await twoOrganisations({ ports: await orgPorts() });
    const { orgs, ledger } = setup;
    const { aBridge, bNode } = await orgs.startAll();
    for (let n = 1; n <= COUNT; n++) {
      ledger.send('b-node', `b-${n}`);
      ledger.send('a-node', `a-${n}`);
      await Promise.all([orgs.send(bNode, 'b', `b-${n}`, bytes(`to A #${n}`)), orgs.send(aBridge, 'a', `a-${n}`, bytes(`to B #${n}`))]);
    }
    await allHandled(ledger, ['b-node', 'a-node'], COUNT);
    assert.deepEqual(ledger.verdict('b-node'), CLEAN);
    assert.deepEqual(ledger.verdict('a-node'), CLEAN);
    assert.deepEqual(ledger.handled('b-node'), Array.from({ length: COUNT }, (_, index) => `b-${index + 1}`));
    assert.ok(setup.texts.includes('b-node: to A #1') && setup.texts.includes('a-node: to B #40'), setup.texts.join('\n'));

    // A's Float audited its BridgeManager's activation and B's node, authenticated by its certificate.
    const events = setup.audit.a.map((line) => [line.event, line.peer ?? line.bridge ?? '']);
    assert.deepEqual(events.slice(0, 3), [
      ['activated', 'a-bridge'],
      ['connect', ''],
      ['authenticated', 'b-node'],
    ]);
  });
});
