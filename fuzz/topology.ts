/**
 * The small supervised topology every target fuzzes: a plain-handler actor and an xstate actor
 * under one one_for_one supervisor, on node `fuzz` (its control actor at `fuzz/$control`).
 */
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { child, defineActor, defineMachineActor, defineProtocol, defineTopology, supervisor, type MachineEvent } from '../internal.ts';

export const NODE = 'fuzz';
export const PLAIN = 'fuzz/plain';
export const MACHINE = 'fuzz/machine';
export const CONTROL = 'fuzz/$control';
/** The actors a frame may name (and a RabbitMQ frame may be routed to). */
export const ACTOR_ADDRESSES = [PLAIN, MACHINE, CONTROL] as const;

/** `keep` takes anything: what reaches it must still be plain data, as the codec promises. */
export const Plain = defineProtocol('fuzz.plain', {
  note: { body: z.object({ text: z.string().max(200) }) },
  sum: { body: z.object({ values: z.array(z.number()).max(64) }), reply: z.number() },
  keep: { body: z.unknown() },
});

export const Turnstile = defineProtocol('fuzz.turnstile', {
  coin: { body: z.object({ cents: z.number().int() }) },
  push: { body: z.object({}) },
  state: { body: z.object({}), reply: z.object({ value: z.string(), coins: z.number() }) },
});

/** Thrown (crashing the actor, so the fuzz counts it) when a decoded body is not plain data. */
export class NonPlainBodyError extends Error {
  constructor(found: string) {
    super(`non-plain data reached the actor: ${found}`);
  }
}

/** Deeper than this, a decoded body is a stack overflow waiting in the handler's own code. */
const MAX_PLAIN_DEPTH = 1_000;

/** The first value in `value` that msgpack's plain data model (and JSON) cannot hold, if any. */
export function nonPlain(value: unknown, depth = 0): string | undefined {
  // msgpack's nil, and its fixext 0 that the codec keeps as `undefined` for void replies.
  if (value === null || value === undefined || ['string', 'number', 'boolean'].includes(typeof value)) return undefined;
  if (depth > MAX_PLAIN_DEPTH) return `nesting deeper than ${MAX_PLAIN_DEPTH} levels`;
  if (typeof value !== 'object') return typeof value;
  // msgpack bin decodes to bytes of its own: a plain Uint8Array (or a Buffer).
  const proto = Object.getPrototypeOf(value);
  if (proto === Uint8Array.prototype || proto === Buffer.prototype) return undefined;
  const items = Array.isArray(value) ? value : Object.getPrototypeOf(value) === Object.prototype ? Object.values(value) : undefined;
  if (items === undefined) return (value as object).constructor?.name ?? 'object without prototype';
  for (const item of items) {
    const found = nonPlain(item, depth + 1);
    if (found) return found;
  }
  return undefined;
}

const plainActor = defineActor({
  protocol: Plain,
  setup() {
    const notes: string[] = [];
    return {
      note: ({ text }) => void notes.splice(0, notes.length, text),
      sum: ({ values }) => values.reduce((total, value) => total + value, 0),
      keep: (body) => {
        const found = nonPlain(body);
        if (found) throw new NonPlainBodyError(found);
      },
    };
  },
});

const turnstileActor = defineMachineActor({
  protocol: Turnstile,
  machine: (ctx) =>
    setup({ types: { context: {} as { coins: number }, events: {} as MachineEvent<typeof Turnstile> } }).createMachine({
      context: { coins: 0 },
      initial: 'locked',
      on: { state: { actions: ({ context, self }) => ctx.reply({ value: String(self.getSnapshot().value), coins: context.coins }) } },
      states: {
        locked: { on: { coin: { target: 'unlocked', actions: assign({ coins: ({ context }) => context.coins + 1 }) } } },
        unlocked: { on: { push: 'locked' } },
      },
    }),
});

export const fuzzTopology = defineTopology('fuzz', {
  [NODE]: supervisor({
    strategy: 'one_for_one',
    // Restarts without limit: a tree that gave up would hide every later crash from the count.
    intensity: { maxRestarts: Number.MAX_SAFE_INTEGER, withinMs: 1_000 },
    children: [child('plain', plainActor), child('machine', turnstileActor)],
  }),
});
