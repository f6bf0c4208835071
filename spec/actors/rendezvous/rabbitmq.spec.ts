import assert from 'node:assert/strict';
import { child, defineActor, defineProtocol, defineTopology, run, supervisor, type RunningTopology } from '../../../index.ts';
import { connectRabbit } from '../../../transports/rabbitmq/index.ts';
import { z } from 'zod';
import { actorRendezvous, BucketRefusedError, findLink, INSECURE_TEST_STRENGTH, RendezvousProtocol, rendezvousTree, storeLink } from '../../../actors/rendezvous/index.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from '../../transports/rabbitmq/broker.ts';

/** The parties' node needs an actor of its own: its mailbox is where the server's replies come back. */
const Idle = defineProtocol('idle', { ping: { body: z.strictObject({}) } });
const idle = defineActor({ protocol: Idle, setup: () => ({ ping: () => {} }) });

const topology = defineTopology('rendezvous-rabbit', {
  rendezvous: rendezvousTree(),
  parties: supervisor({ children: [child('idle', idle)] }),
});

describe('rendezvous as actor messages over RabbitMQ: the parties on one node, the server on another', function () {
  // Real broker round trips on a busy 2-core machine: each takes milliseconds, 30 s is far past any of them.
  this.timeout(30_000);
  const namespace = uniqueNamespace('rendezvous');
  const nodes: RunningTopology[] = [];

  before(async () => {
    await requireBroker();
    for (const node of ['rendezvous', 'parties']) {
      const transport = await connectRabbit({ url: BROKER_URL, namespace });
      nodes.push(run(topology, { node, transport }));
      // `run` returns before the broker has the node's queues; an ask to one not yet declared fails at once (UNKNOWN_ADDRESS).
      await transport.ready();
    }
  });

  after(async () => {
    for (const running of nodes.reverse()) {
      await running.stop();
      await running.system.transport.close();
    }
    await cleanup(namespace, ['rendezvous/server', 'parties/idle']);
  });

  it('stores a sealed link and finds it by hash and passphrase; the bytes arrive whole and validated, refusals typed', async () => {
    const server = actorRendezvous(nodes[1]!.ref('rendezvous/server', RendezvousProtocol));
    const strength = INSECURE_TEST_STRENGTH;
    const link = { host: 'msg.example', port: 443, linkId: 'over-rabbit' };
    const invitation = await storeLink(server, link, 'over the broker', { strength });
    assert.deepEqual((await findLink(server, invitation.bucketHash, 'over the broker', { strength })).link, link);
    await assert.rejects(server.store(Buffer.alloc(200, 1)), (error: BucketRefusedError) => error.refusal === 'LINK_SIZE');
  });
});
