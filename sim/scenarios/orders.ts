/**
 * The README's scenario, whole: orders placed with a shop over the durable broker survive a
 * broker crash and a partition. Start a scenario of your own from this one.
 */
import { z } from 'zod';
import { child, defineActor, defineProtocol, supervisor } from '../../index.ts';
import { startTree } from '../index.ts';
import type { Scenario, SimWorld } from '../index.ts';

const Orders = defineProtocol('orders', { place: { body: z.object({ id: z.number().int() }) } });

/** What each run saw: the orders whose `tell` the broker confirmed, and those the shop booked. */
const runs = new WeakMap<SimWorld, { confirmed: Set<number>; booked: Set<number> }>();

export const brokerRestart: Scenario = {
  name: 'broker-restart',
  description: 'orders to a supervised shop survive a broker crash and a partition',
  world: {
    transport: 'durable',
    calmAt: 2_000,
    faults: { drop: 0.03, duplicate: 0.03, reorder: 0.1, actorCrash: 0.01, delay: { kind: 'uniform', minMs: 1, maxMs: 10 } },
  },
  setup(world) {
    const run = { confirmed: new Set<number>(), booked: new Set<number>() };
    runs.set(world, run);
    const shopActor = defineActor({ protocol: Orders, setup: () => ({ place: ({ id }) => void run.booked.add(id) }) });
    const tree = supervisor({ intensity: { maxRestarts: 20, withinMs: 1_000 }, children: [child('orders', world.crashable(shopActor))] });
    world.addNode('shop', (node) => {
      world.watchSupervisor('shop', tree);
      startTree(node.system, tree, 'shop');
    });
    const till = world.addNode('till', () => {});
    for (let id = 0; id < 50; id++) {
      // Every choice comes from world.random, so the seed decides the whole run.
      world.at(world.random.int(1_500), () => {
        till.system.ref('shop/orders', Orders).tell('place', { id }).then(() => run.confirmed.add(id), () => {});
      });
    }
    world.schedule([
      { at: 300, kind: 'partition', sides: [['shop'], ['broker', 'till']] },
      { at: 500 + world.random.int(500), kind: 'crash-broker', restartAfterMs: 200 },
      { at: 1_200, kind: 'heal' },
    ]);
  },
  // Beyond the built-in invariants: every confirmed order is booked by the shop, or dead-lettered
  // once because the shop crashed on it (a crash is never retried, on any transport).
  check(world) {
    const { confirmed, booked } = runs.get(world)!;
    const crashedOn = new Set(world.crashedOn.map((envelope) => (envelope.body as { id: number }).id));
    const lost = [...confirmed].filter((id) => !booked.has(id) && !crashedOn.has(id));
    return lost.length === 0 ? [] : [{ invariant: 'orders-booked', detail: `confirmed but neither booked nor dead-lettered: ${lost.join(', ')}`, subjects: [] }];
  },
};
