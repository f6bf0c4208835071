import assert from 'node:assert/strict';
import { defineActor } from '../../../index.ts';
import { FloatProtocol, PeerInboxProtocol } from '../../../actors/dmz-float/index.ts';
import { amqp10Links } from '../../../transports/amqp10/index.ts';
import { addressesOf } from '../../../examples/dmz-float/topology.ts';
import { requireBroker } from '../../transports/rabbitmq/broker.ts';
import { until } from '../../actors/dmz-float/support.ts';
import { orgPorts, twoOrganisations, type TwoOrgs } from './two-orgs.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
/** Corda's `maxMessageSize`, which the example's path admits whole. */
const CORDA_MAX = 10 * MiB;
const SIZES = [KiB, MiB, 2 * MiB, CORDA_MAX, CORDA_MAX + 1];

/** An inbox that records `<message id> <bytes>` for each message it handles. */
function sizeInbox(seen: string[]) {
  return defineActor({
    protocol: PeerInboxProtocol,
    setup: () => ({ PeerMessage: ({ messageId, bytes }) => void seen.push(`${messageId} ${bytes.byteLength}`) }),
  });
}

describe('DMZ float end to end: what the Float accepts from a peer reaches the inbox (real TLS, real RabbitMQ)', function () {
  // Five messages of up to 10 MiB through TLS, the tunnel and the broker: about a second of work; ten times that and more on a busy 2-core machine.
  this.timeout(90_000);
  let setup: TwoOrgs | undefined;

  before(requireBroker);
  after(() => setup?.dispose());

  it('1 KiB, 1 MiB, 2 MiB and 10 MiB arrive in the inbox exactly once, 10 MiB + 1 is refused message-size-exceeded before acceptance, and nothing is dead-lettered', async () => {
    const seen: string[] = [];
    setup = await twoOrganisations({ ports: await orgPorts(), inbox: sizeInbox(seen) });
    const aDmz = await setup.orgs.startNode('a-dmz');
    const aBridge = await setup.orgs.startNode('a-bridge');
    const deadLettered: string[] = [];
    aBridge.running.system.events.subscribe((event) => {
      if (event.kind === 'dead-lettered') deadLettered.push(`${event.address} ${(event.reason as { code?: string }).code}`);
    });
    const float = aDmz.running.system.ref(addressesOf('a').float, FloatProtocol);
    await until(async () => (await float.ask('FloatStatus', {})).active, 'the BridgeManager to activate the Float', { withinMs: 30_000 });

    const session = await amqp10Links.connect({ host: '127.0.0.1', port: setup.orgs.options.ports!.a.public, tls: setup.orgs.options.certificates.b.node, expectedName: 'a-float' });
    const sender = await session.openSender(addressesOf('a').inbox);
    const outcomes: string[] = [];
    for (const size of SIZES) {
      const outcome = await sender.send(new Uint8Array(size).fill(7), { messageId: `m-${size}` }).then(
        () => 'accepted',
        (error: unknown) => (error as { condition?: string }).condition ?? String(error),
      );
      outcomes.push(`${size} ${outcome}`);
    }
    await session.close();

    const accepted = outcomes.filter((line) => line.endsWith(' accepted')).length;
    // Every accepted message either arrives or is dead-lettered: wait for one or the other, never for a fixed time.
    await until(() => seen.length + deadLettered.length >= accepted, () => `${accepted} accepted messages to arrive (seen: ${seen.join(', ')})`, { withinMs: 60_000 });
    assert.deepEqual(outcomes, [`${KiB} accepted`, `${MiB} accepted`, `${2 * MiB} accepted`, `${CORDA_MAX} accepted`, `${CORDA_MAX + 1} amqp:link:message-size-exceeded`]);
    assert.deepEqual(seen, [KiB, MiB, 2 * MiB, CORDA_MAX].map((size) => `m-${size} ${size}`));
    assert.deepEqual(deadLettered, []);
    assert.deepEqual(aBridge.running.system.counters, { rejected: 0, deadLettered: 0, droppedReplies: 0 });
  });
});
