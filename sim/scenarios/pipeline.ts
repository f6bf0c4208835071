import { z } from 'zod';
import { child, defineActor, defineProtocol, supervisor, type SupervisorSpec } from '../../index.ts';
import { startTree } from '../index.ts';
import type { Scenario, SimNode, SimWorld, TransportMode, Violation } from '../index.ts';

/** One work item travelling down the pipeline; `hops` counts the stages it went through. */
export const Stage = defineProtocol('stage', {
  item: { body: z.object({ n: z.number().int(), hops: z.number().int() }) },
});

const STAGES = 9;
const FRONT_STAGES = 5;

/** Where stage `i` lives: the first five on node `front`, the rest and the sink on node `back`. */
const stageAddress = (i: number) => (i < FRONT_STAGES ? `front/s${i}` : `back/s${i}`);
const SINK = 'back/sink';

interface PipelineState {
  items: number;
  confirmed: Set<number>;
  arrived: Map<number, number>;
}

const states = new WeakMap<SimWorld, PipelineState>();

/** A stage forwards each item to the next and is done with it only once the next confirmed it. */
function stage(next: string) {
  return defineActor({
    protocol: Stage,
    setup(ctx) {
      const downstream = ctx.ref(next, Stage);
      return {
        async item({ n, hops }) {
          await downstream.tell('item', { n, hops: hops + 1 });
        },
      };
    },
  });
}

function sink(state: PipelineState) {
  return defineActor({
    protocol: Stage,
    setup: () => ({
      item({ n }) {
        state.arrived.set(n, (state.arrived.get(n) ?? 0) + 1);
      },
    }),
  });
}

function tree(world: SimWorld, stages: number[], extra: ReturnType<typeof child>[]): SupervisorSpec {
  return supervisor({
    strategy: 'one_for_one',
    intensity: { maxRestarts: 20, withinMs: 1_000 },
    children: [
      ...stages.map((i) => child(`s${i}`, world.crashable(stage(i + 1 < STAGES ? stageAddress(i + 1) : SINK)))),
      ...extra,
    ],
  });
}

function startNode(world: SimWorld, name: string, spec: SupervisorSpec): (node: SimNode) => void {
  return (node) => {
    world.watchSupervisor(name, spec);
    startTree(node.system, spec, name);
  };
}

/**
 * A supervised pipeline of ten actors (nine stages and a sink) over two nodes, fed 100 items:
 * 1,000 handled messages per seed, under the given transport and faults.
 */
function pipeline(name: string, transport: TransportMode): Scenario {
  const durable = transport === 'durable';
  return {
    name,
    description: durable
      ? '10 supervised actors on 2 nodes over the durable broker; drop, duplicate, reorder, actor/node/broker crashes'
      : '10 supervised actors on 2 nodes in process; actor crashes; in-order delivery per link',
    world: {
      transport,
      calmAt: 2_000,
      settleWithinMs: 10_000,
      faults: durable
        ? { drop: 0.03, duplicate: 0.03, reorder: 0.1, actorCrash: 0.01, delay: { kind: 'uniform', minMs: 1, maxMs: 10 } }
        : { drop: 0, duplicate: 0, reorder: 0, actorCrash: 0.01, delay: { kind: 'uniform', minMs: 1, maxMs: 1 } },
    },
    setup(world) {
      const state: PipelineState = { items: 100, confirmed: new Set(), arrived: new Map() };
      states.set(world, state);
      const front = world.addNode('front', startNode(world, 'front', tree(world, [0, 1, 2, 3, 4], [])));
      world.addNode('back', startNode(world, 'back', tree(world, [5, 6, 7, 8], [child('sink', sink(state))])));
      for (let n = 0; n < state.items; n++) {
        world.at(world.random.int(1_500), () => {
          front.system.ref(stageAddress(0), Stage).tell('item', { n, hops: 0 }).then(() => state.confirmed.add(n), () => {});
        });
      }
      if (!durable) return;
      const victim = world.random.int(2) === 0 ? 'front' : 'back';
      world.schedule([{ at: 200 + world.random.int(1_300), kind: 'crash-node', node: victim, restartAfterMs: 100 + world.random.int(300) }]);
      if (world.random.next() < 0.5) {
        world.schedule([{ at: 200 + world.random.int(1_300), kind: 'crash-broker', restartAfterMs: 50 + world.random.int(250) }]);
      }
    },
    check(world) {
      if (!durable) return [];
      const state = states.get(world)!;
      // An item a stage crashed on is dead-lettered there, once, as on every transport.
      const crashedOn = new Set(world.crashedOn.map((envelope) => (envelope.body as { n: number }).n));
      const missing = [...state.confirmed].filter((n) => !state.arrived.has(n) && !crashedOn.has(n));
      if (missing.length === 0) return [];
      const violation: Violation = {
        invariant: 'pipeline-end-to-end',
        detail: `${missing.length} confirmed items never reached the sink nor the dead letters (first: ${missing.slice(0, 5).join(', ')})`,
        subjects: [],
      };
      return [violation];
    },
  };
}

export const pipelineDurable = pipeline('pipeline-durable', 'durable');
export const pipelineInProcess = pipeline('pipeline-in-process', 'in-process');
