import { z } from 'zod';
import { createSystem, defineActor, defineProtocol, VirtualClock, seededRandom, type ActorSystem, type SystemEvent } from '../../internal.ts';

/** A counter that can crash on demand, stop itself, or hang; the workhorse of the core specs. */
export const Counter = defineProtocol('counter', {
  add: { body: z.object({ by: z.number().int() }) },
  get: { body: z.object({}), reply: z.number() },
  crash: { body: z.object({ reason: z.string() }) },
  finish: { body: z.object({}) },
  hang: { body: z.object({}) },
});

export const counter = defineActor({
  protocol: Counter,
  setup(ctx) {
    let total = 0;
    return {
      add: ({ by }) => void (total += by),
      get: () => total,
      crash: ({ reason }) => {
        throw new Error(reason);
      },
      finish: () => ctx.stop(),
      hang: () => new Promise<void>(() => {}),
    };
  },
});

/** A system on a virtual clock and a seeded random, so timing in specs is exact. */
export function testSystem(name = 'test'): { system: ActorSystem; clock: VirtualClock } {
  const clock = new VirtualClock();
  return { system: createSystem({ name, ports: { clock, random: seededRandom(7) } }), clock };
}

/** Records events as short strings like `started a/b`, in the order they happened. */
export function recordEvents(system: ActorSystem, kinds: SystemEvent['kind'][] = ['started', 'stopped', 'restarted', 'failed']) {
  const seen: string[] = [];
  system.events.subscribe((event) => {
    if (kinds.includes(event.kind)) seen.push(`${event.kind} ${event.address}`);
  });
  return seen;
}

/** Lets queued microtasks and immediates run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function settleMany(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await settle();
}

export { freePort, until, type UntilOptions } from '../../testing/index.ts';
