import assert from 'node:assert/strict';
import { createSystem, defineActor, MailboxFullError, type ActorSystem } from '../../../internal.ts';
import { connectRabbit, type RabbitEvent, type RabbitTransport } from '../../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, closeConnections, connectionsOf, requireBroker, uniqueNamespace, Work } from './broker.ts';
import { waitFor } from './children.ts';

/** Tells kept in flight at once by the producer while the connections are closed. */
const IN_FLIGHT = 300;

describe('RabbitMQ transport: the broker closes the connection under load', function () {
  this.timeout(60_000);
  const namespace = uniqueNamespace('reconnect');
  const transports: RabbitTransport[] = [];
  const systems: ActorSystem[] = [];

  before(requireBroker);
  after(async () => {
    for (const system of systems) await system.stop({ drainTimeoutMs: 100 });
    for (const transport of transports) await transport.close();
    await cleanup(namespace, ['work']);
  });

  async function node(name: string): Promise<{ system: ActorSystem; events: RabbitEvent['kind'][] }> {
    const transport = await connectRabbit({ url: BROKER_URL, namespace, reconnect: { minMs: 50, maxMs: 500 } });
    const events: RabbitEvent['kind'][] = [];
    transport.events.subscribe((event) => events.push(event.kind));
    const system = createSystem({ name, transport });
    transports.push(transport);
    systems.push(system);
    return { system, events };
  }

  it('reconnects both nodes and loses nothing that was confirmed, handling each message once', async () => {
    const consumer = await node('consumer');
    const handled = new Map<number, number>();
    consumer.system.spawn(
      defineActor({
        protocol: Work,
        setup: () => ({
          job: ({ seq }) => void handled.set(seq, (handled.get(seq) ?? 0) + 1),
          crash: () => {},
          echo: ({ text }) => ({ text, pid: 0 }),
        }),
      }),
      'work',
    );
    await transports[0].ready();
    const producer = await node('producer');
    const work = producer.system.ref('work', Work);
    const connections = await connectionsOf(namespace);
    assert.equal(connections.length, 2);

    // Keep a steady stream going until both nodes are back, and a while after.
    const reconnected = () => [consumer, producer].every(({ events }) => events.includes('connected'));
    const confirmed: number[] = [];
    let sent = 0;
    let unconfirmedAtDisconnect = 0;
    transports[1].events.subscribe((event) => {
      if (event.kind === 'disconnected') unconfirmedAtDisconnect = sent - confirmed.length;
    });
    // A consumer slower to come back than the producer (a busy machine) fills the queue to its
    // bound, and the broker refuses further tells as MAILBOX_FULL: nothing was accepted, so the
    // producer sends them again a little later, as a user would on backpressure.
    const tellUntilAccepted = async (seq: number): Promise<void> => {
      for (;;) {
        try {
          return await work.tell('job', { seq });
        } catch (error) {
          if (!(error instanceof MailboxFullError)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    let afterReconnect = 0;
    const stream = (async () => {
      const inFlight = new Set<Promise<void>>();
      while (afterReconnect < 1_000) {
        if (reconnected()) afterReconnect++;
        const seq = sent++;
        const tell = tellUntilAccepted(seq).then(() => void confirmed.push(seq));
        inFlight.add(tell);
        void tell.finally(() => inFlight.delete(tell));
        if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    })();
    await waitFor('the consumer to be busy', () => handled.size >= 1_000);
    await closeConnections(connections);
    await stream;

    assert.ok(unconfirmedAtDisconnect > 0, 'the connection closed with tells in flight');
    assert.equal(confirmed.length, sent, 'every tell was confirmed');
    await waitFor('every confirmed message handled', () => handled.size === sent, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a late redelivery to show up
    assert.deepEqual([...handled.values()].filter((count) => count !== 1), [], 'each handled exactly once');
    for (const { events } of [consumer, producer]) {
      assert.deepEqual(events.filter((kind) => kind !== 'channel-error').slice(0, 3), ['disconnected', 'reconnect-scheduled', 'connected']);
    }
  });
});
