import { z } from 'zod';
import { child, defineActor, defineProtocol, supervisor } from '../../index.ts';
import { startTree } from '../index.ts';
import type { Scenario, SimWorld, Violation } from '../index.ts';

export const Quote = defineProtocol('quote', {
  quote: { body: z.object({ n: z.number().int() }), reply: z.object({ n: z.number().int(), value: z.number().int() }) },
});

const quoteActor = defineActor({
  protocol: Quote,
  setup: () => ({ quote: ({ n }) => ({ n, value: n * n + 1 }) }),
});

const serverTree = supervisor({ strategy: 'one_for_one', children: [child('quote', quoteActor)] });

interface AskState {
  requests: number;
  answered: Map<number, { value: number; at: number }>;
  wrong: string[];
  attempts: number;
  healAt: number;
}

const states = new WeakMap<SimWorld, AskState>();

/** How long a client waits for one answer before it asks again. */
const ASK_TIMEOUT_MS = 300;
/** After the partition heals, every request must be answered within this. */
const ANSWER_BOUND_MS = 2_000;

/**
 * A client node asks a supervised server 100 questions over the durable broker while a
 * partition cuts the client off for a while; timed-out asks are asked again. Once the
 * partition heals, every question must be answered, correctly, within a bound.
 */
export const askPartition: Scenario = {
  name: 'ask-partition',
  description: 'client asks a supervised server across the broker; a partition cuts the client off, then heals',
  world: {
    transport: 'durable',
    calmAt: 2_000,
    settleWithinMs: 10_000,
    faults: { drop: 0.02, duplicate: 0.02, reorder: 0.05, actorCrash: 0, delay: { kind: 'exponential', meanMs: 4, maxMs: 60 } },
  },
  setup(world) {
    const state: AskState = { requests: 100, answered: new Map(), wrong: [], attempts: 0, healAt: 0 };
    states.set(world, state);
    world.addNode('server', (node) => {
      world.watchSupervisor('server', serverTree);
      startTree(node.system, serverTree, 'server');
    });
    const client = world.addNode('client', () => {});
    const ask = (n: number): void => {
      state.attempts++;
      client.system.ref('server/quote', Quote).ask('quote', { n }, { timeoutMs: ASK_TIMEOUT_MS }).then(
        (answer) => {
          if (answer.n !== n || answer.value !== n * n + 1) state.wrong.push(`${n} -> ${JSON.stringify(answer)}`);
          if (!state.answered.has(n)) state.answered.set(n, { value: answer.value, at: world.now });
        },
        () => world.at(world.now + 50, () => ask(n)),
      );
    };
    for (let n = 0; n < state.requests; n++) world.at(world.random.int(1_500), () => ask(n));
    const cutAt = 200 + world.random.int(800);
    const healAt = cutAt + 200 + world.random.int(800);
    const cutOff = world.random.int(2) === 0 ? ['client'] : ['server'];
    const rest = cutOff[0] === 'client' ? ['broker', 'server'] : ['broker', 'client'];
    state.healAt = Math.min(healAt, world.options.calmAt);
    world.schedule([
      { at: cutAt, kind: 'partition', sides: [cutOff, rest] },
      { at: state.healAt, kind: 'heal' },
    ]);
  },
  check(world) {
    const state = states.get(world)!;
    const out: Violation[] = [];
    const unanswered = Array.from({ length: state.requests }, (_, n) => n).filter((n) => !state.answered.has(n));
    if (unanswered.length > 0) out.push({ invariant: 'asks-answered', detail: `${unanswered.length} requests never answered (first: ${unanswered.slice(0, 5).join(', ')})`, subjects: [] });
    if (state.wrong.length > 0) out.push({ invariant: 'asks-correct', detail: `wrong answers: ${state.wrong.slice(0, 3).join('; ')}`, subjects: [] });
    const last = Math.max(0, ...[...state.answered.values()].map((answer) => answer.at));
    if (last > state.healAt + ANSWER_BOUND_MS) out.push({ invariant: 'asks-bounded', detail: `last answer at ${last} ms, more than ${ANSWER_BOUND_MS} ms after the heal at ${state.healAt} ms`, subjects: [] });
    return out;
  },
};
