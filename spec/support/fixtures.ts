import net from 'node:net';
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

export interface UntilOptions {
  /** How long to keep checking (5 s). */
  withinMs?: number;
  /** How long to wait between checks (10 ms). */
  everyMs?: number;
}

/**
 * Waits until `check` holds (real sockets and brokers take a few turns); fails naming `what`,
 * which may be a function for a message that reports the state at the time of the failure.
 */
export async function until(check: () => boolean | Promise<boolean>, what: string | (() => string), options: UntilOptions = {}): Promise<void> {
  const { withinMs = 5_000, everyMs = 10 } = options;
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${withinMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
