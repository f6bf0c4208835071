import assert from 'node:assert/strict';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { child, defineMachineActor, defineProtocol, startTree, supervisor, type ActorSystem, type MachineEvent } from '../../index.ts';
import { recordEvents, settleMany, testSystem } from '../support/fixtures.ts';

/** A turnstile: coin unlocks, push locks; `jam` makes the machine throw; `state` is asked. */
const Turnstile = defineProtocol('turnstile', {
  coin: { body: z.object({ cents: z.number() }) },
  push: { body: z.object({}) },
  jam: { body: z.object({}) },
  retire: { body: z.object({}) },
  state: { body: z.object({}), reply: z.object({ value: z.string(), coins: z.number() }) },
});

type TurnstileEvent = MachineEvent<typeof Turnstile>;

const turnstile = defineMachineActor({
  protocol: Turnstile,
  machine: (ctx) =>
    setup({ types: { context: {} as { coins: number }, events: {} as TurnstileEvent } }).createMachine({
      context: { coins: 0 },
      initial: 'locked',
      on: {
        state: { actions: ({ context, self }) => ctx.reply({ value: String(self.getSnapshot().value), coins: context.coins }) },
        jam: { actions: () => { throw new Error('jammed'); } },
        retire: '.retired',
      },
      states: {
        locked: { on: { coin: { target: 'unlocked', actions: assign({ coins: ({ context }) => context.coins + 1 }) } } },
        unlocked: { on: { push: 'locked' } },
        retired: { type: 'final' },
      },
    }),
});

describe('xstate actors', () => {
  let system: ActorSystem;
  beforeEach(() => ({ system } = testSystem()));
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  it('keeps the machine state across messages', async () => {
    const ref = system.spawn(turnstile, 'gate');
    await ref.tell('coin', { cents: 50 });
    assert.deepEqual(await ref.ask('state', {}), { value: 'unlocked', coins: 1 });
    await ref.tell('push', {});
    await ref.tell('coin', { cents: 50 });
    assert.deepEqual(await ref.ask('state', {}), { value: 'unlocked', coins: 2 });
  });

  it('restarts from the initial state after the machine throws, under a supervisor', async () => {
    const events = recordEvents(system);
    startTree(system, supervisor({ children: [child('gate', turnstile)] }), 'station');
    const ref = system.ref('station/gate', Turnstile);
    await ref.tell('coin', { cents: 50 });
    await ref.tell('jam', {});
    await settleMany();
    assert.deepEqual(await ref.ask('state', {}), { value: 'locked', coins: 0 });
    assert.deepEqual(events, [
      'started station/gate',
      'started station',
      'failed station/gate',
      'stopped station/gate',
      'started station/gate',
      'restarted station/gate',
    ]);
  });

  it('stops normally when the machine reaches a final state (a transient child is not restarted)', async () => {
    const events = recordEvents(system);
    startTree(system, supervisor({ children: [child('gate', turnstile, { restart: 'transient' })] }), 'station');
    await system.ref('station/gate', Turnstile).tell('retire', {});
    await settleMany();
    assert.deepEqual(events.slice(2), ['stopped station/gate']);
    assert.equal(system.lookup('station/gate')?.status().state, 'stopped');
  });
});
