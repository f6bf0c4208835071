import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  DEFAULT_MAX_ATTEMPTS,
  MailboxFullError,
  UnsupportedMailboxError,
  child,
  createSystem,
  defineActor,
  defineProtocol,
  startTree,
  supervisor,
} from '../../internal.ts';
import { SimWorld } from '../../sim/index.ts';
import { connectRabbit } from '../../transports/rabbitmq/index.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from './rabbitmq/broker.ts';
import { waitFor } from './rabbitmq/children.ts';

const Poison = defineProtocol('poison', { eat: { body: z.object({ n: z.number().int() }) } });
const CALM = { drop: 0, duplicate: 0, reorder: 0, actorCrash: 0, delay: { kind: 'uniform', minMs: 1, maxMs: 1 } } as const;

/** An actor whose handler never finishes: the node holding the message dies first. */
function hanging(handlings: number[]) {
  return defineActor({
    protocol: Poison,
    setup: () => ({
      eat: ({ n }) => {
        handlings.push(n);
        return new Promise<void>(() => {});
      },
    }),
  });
}

/** An actor that crashes on every message, counting each handling. */
function poisoned(attempts: number[]) {
  return defineActor({
    protocol: Poison,
    mailbox: { capacity: 5 },
    setup: () => ({
      eat: ({ n }) => {
        attempts.push(n);
        throw new Error('poison');
      },
    }),
  });
}

describe('durable transports: one behaviour in the simulation and over RabbitMQ', function () {
  this.timeout(20_000);

  it('the simulated broker handles a message that crashes its handler once, then dead-letters it, as in-process', async () => {
    const world = new SimWorld(11, { calmAt: 100, faults: CALM });
    const attempts: number[] = [];
    const shop = world.addNode('shop', (self) => {
      startTree(self.system, supervisor({ intensity: { maxRestarts: 10, withinMs: 1_000 }, children: [child('eater', poisoned(attempts))] }), 'shop');
    });
    world.at(5, () => void shop.system.ref('shop/eater', Poison).tell('eat', { n: 1 }));
    await world.run();
    assert.deepEqual(attempts, [1]);
    const deadLetters = world.trace.entries.filter((entry) => entry.kind === 'dead-letter').map((entry) => entry.text);
    assert.equal(deadLetters.length, 1);
    assert.match(deadLetters[0], / at shop\/eater: its handler crashed$/);
  });

  it('the simulated broker delivers a message whose node died while handling it again, DEFAULT_MAX_ATTEMPTS deliveries in all, then dead-letters it', async () => {
    const world = new SimWorld(12, { calmAt: 100, faults: CALM });
    const handlings: number[] = [];
    const shop = world.addNode('shop', (self) => void startTree(self.system, supervisor({ children: [child('eater', hanging(handlings))] }), 'shop'));
    world.at(5, () => void shop.system.ref('shop/eater', Poison).tell('eat', { n: 1 }));
    for (const at of [100, 300, 500]) world.at(at, () => world.crashNode('shop', 50));
    await world.run();
    assert.equal(DEFAULT_MAX_ATTEMPTS, 3);
    assert.deepEqual(handlings, [1, 1, 1]);
    const deadLetters = world.trace.entries.filter((entry) => entry.kind === 'dead-letter').map((entry) => entry.text);
    assert.equal(deadLetters.length, 1);
    assert.match(deadLetters[0], / at shop\/eater after 3 unfinished deliveries$/);
  });

  it('RabbitMQ, with its default options, handles a message that crashes its handler once, as the simulation does', async () => {
    await requireBroker();
    const namespace = uniqueNamespace('attempts');
    const transport = await connectRabbit({ url: BROKER_URL, namespace });
    const system = createSystem({ name: 'shop', transport });
    const attempts: number[] = [];
    try {
      startTree(system, supervisor({ intensity: { maxRestarts: 10, withinMs: 1_000 }, children: [child('eater', poisoned(attempts))] }), 'shop');
      let deadLettered = 0;
      system.on('dead-lettered').subscribe(() => deadLettered++);
      await system.ref('shop/eater', Poison).tell('eat', { n: 1 });
      await waitFor('the poison message to be dead-lettered', () => deadLettered === 1, 10_000);
      assert.deepEqual(attempts, [1]);
      assert.equal(system.status()[0].children?.[0].restarts, 1);
    } finally {
      await system.stop({ drainTimeoutMs: 0 });
      await transport.close();
      await cleanup(namespace, ['shop/eater']);
    }
  });

  it('the simulated broker keeps a mailbox bound as RabbitMQ does: with nothing consuming, the 6th tell to a mailbox of 5 rejects', async () => {
    const world = new SimWorld(5, { calmAt: 100, faults: CALM });
    world.addNode('edge', (self) => void self.system.spawn(poisoned([]), 'edge/input'));
    const till = world.addNode('till', () => {});
    const outcomes: string[] = [];
    // The edge node goes down (and stays down for the run): its queue stays, with its bound.
    world.at(2, () => world.crashNode('edge', 100_000));
    for (let n = 1; n <= 6; n++) {
      world.at(300 + n, () => {
        till.system.ref('edge/input', Poison).tell('eat', { n }).then(
          () => outcomes.push(`${n} confirmed`),
          (error: Error) => outcomes.push(`${n} ${error instanceof MailboxFullError ? error.code : String(error)}`),
        );
      });
    }
    await world.run();
    assert.deepEqual(outcomes, ['1 confirmed', '2 confirmed', '3 confirmed', '4 confirmed', '5 confirmed', '6 MAILBOX_FULL']);
  });

  it("the simulated broker refuses a 'backpressure' mailbox at spawn, as RabbitMQ does", async () => {
    const world = new SimWorld(5, { calmAt: 10, faults: CALM });
    const held = defineActor({ ...poisoned([]), mailbox: { capacity: 5, overflow: 'backpressure' } });
    let refused: unknown;
    world.addNode('edge', (self) => {
      try {
        self.system.spawn(held, 'edge/held');
      } catch (error) {
        refused = error;
      }
    });
    await world.run();
    assert.ok(refused instanceof UnsupportedMailboxError, String(refused));
    assert.equal(refused.code, 'UNSUPPORTED_MAILBOX');
  });
});
