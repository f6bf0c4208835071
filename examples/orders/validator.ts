/**
 * `edge/validator`: an xstate machine that refuses orders over a limit and throttles bursts. In
 * `open` it accepts at most `burst` orders per `windowMs`; the last one of a burst moves it to
 * `cooling`, where every order is refused as THROTTLED until `coolMs` passed. Its delays run on
 * the system's Clock, so a test drives them with a VirtualClock.
 *
 * It also has a bug, as real code sometimes does: the item `poison` makes it throw. The message
 * that crashed it is dead-lettered once (the asker gets ACTOR_CRASHED at once), its supervisor
 * restarts it from the initial state, and it is never handled again, in-process or over RabbitMQ.
 */
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { defineMachineActor, replyWith, type MachineEvent } from '../../index.ts';
import { Validator, type Verdict } from './protocols.ts';

export const ValidatorConfig = z.object({
  /** Orders accepted per window; the last of them starts the cooling. */
  burst: z.number().int().positive().default(5),
  windowMs: z.number().int().positive().default(10_000),
  coolMs: z.number().int().positive().default(5_000),
  /** The largest order it accepts. */
  maxCents: z.number().int().positive().default(10_000),
});
export type ValidatorConfig = z.output<typeof ValidatorConfig>;

type Event = MachineEvent<typeof Validator>;
type Check = Extract<Event, { type: 'check' }>;

const verdict = (value: Verdict) => replyWith(() => value);

const machine = setup({
  types: { context: {} as ValidatorConfig & { accepted: number }, input: {} as ValidatorConfig, events: {} as Event },
  delays: {
    window: ({ context }) => context.windowMs,
    cooling: ({ context }) => context.coolMs,
  },
  guards: {
    poison: ({ event }) => (event as Check).body.item === 'poison',
    tooLarge: ({ context, event }) => (event as Check).body.cents > context.maxCents,
    lastOfBurst: ({ context }) => context.accepted + 1 >= context.burst,
  },
  actions: {
    // The bug: a stand-in for the parser that chokes on one input nobody tested.
    choke: ({ event }) => {
      throw new Error(`cannot validate item '${(event as Check).body.item}'`);
    },
    count: assign({ accepted: ({ context }) => context.accepted + 1 }),
    forget: assign({ accepted: 0 }),
  },
}).createMachine({
  context: ({ input }) => ({ ...input, accepted: 0 }),
  initial: 'open',
  states: {
    open: {
      // Each window counts afresh.
      after: { window: { target: 'open', reenter: true, actions: 'forget' } },
      on: {
        check: [
          { guard: 'poison', actions: 'choke' },
          { guard: 'tooLarge', actions: verdict('TOO_LARGE') },
          { guard: 'lastOfBurst', target: 'cooling', actions: ['count', verdict('ACCEPTED')] },
          { actions: ['count', verdict('ACCEPTED')] },
        ],
        state: { actions: replyWith(() => 'open') },
      },
    },
    cooling: {
      after: { cooling: { target: 'open', actions: 'forget' } },
      on: {
        check: [{ guard: 'poison', actions: 'choke' }, { actions: verdict('THROTTLED') }],
        state: { actions: replyWith(() => 'cooling') },
      },
    },
  },
});

export const validator = defineMachineActor({
  protocol: Validator,
  config: ValidatorConfig,
  machine,
  input: (ctx) => ctx.config,
});
