import assert from 'node:assert/strict';
import { assign, fromPromise, setup } from 'xstate';
import { z } from 'zod';
import {
  child,
  defineMachineActor,
  defineProtocol,
  NoReplyError,
  replyWith,
  startTree,
  supervisor,
  VirtualClock,
  type ActorSystem,
  type MachineEvent,
} from '../../internal.ts';
import { recordEvents, settleMany, testSystem } from '../support/fixtures.ts';

/** A turnstile: coin unlocks, push locks; `jam` makes the machine throw; `state` is asked, `peek` never answered. */
const Turnstile = defineProtocol('turnstile', {
  coin: { body: z.object({ cents: z.number() }) },
  push: { body: z.object({}) },
  jam: { body: z.object({}) },
  retire: { body: z.object({}) },
  state: { body: z.object({}), reply: z.object({ value: z.string(), coins: z.number() }) },
  peek: { body: z.object({}), reply: z.number() },
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

/** A timed lock: `arm` starts a delay of 1 s; then it opens, or (`armFaulty`) its action throws, or (`armFinal`) it retires. */
const Lock = defineProtocol('lock', {
  arm: { body: z.object({}) },
  armFaulty: { body: z.object({}) },
  armFinal: { body: z.object({}) },
  load: { body: z.object({}) },
  state: { body: z.object({}), reply: z.string() },
});

const lock = defineMachineActor({
  protocol: Lock,
  machine: setup({
    types: { events: {} as MachineEvent<typeof Lock> },
    actors: { fetchCode: fromPromise<string>(() => Promise.reject(new Error('code server down'))) },
  }).createMachine({
    initial: 'idle',
    on: { state: { actions: replyWith(({ self }) => String(self.getSnapshot().value)) } },
    states: {
      idle: { on: { arm: 'armed', armFaulty: 'faulty', armFinal: 'retiring', load: 'loading' } },
      armed: { after: { 1000: 'open' } },
      faulty: { after: { 1000: { actions: () => { throw new Error('late fault'); } } } },
      retiring: { after: { 1000: 'retired' } },
      loading: { invoke: { src: 'fetchCode' } },
      open: {},
      retired: { type: 'final' },
    },
  }),
});

/** A tally whose context starts from its input; `add` adds, `jam` throws, `read` is asked. */
const Tally = defineProtocol('tally', {
  add: { body: z.object({ n: z.number() }) },
  jam: { body: z.object({}) },
  read: { body: z.object({}), reply: z.object({ sum: z.number(), owner: z.string() }) },
});

const tally = defineMachineActor({
  protocol: Tally,
  machine: setup({
    types: {
      context: {} as { sum: number; owner: string },
      input: {} as { start: number; owner: string },
      events: {} as MachineEvent<typeof Tally>,
    },
  }).createMachine({
    context: ({ input }) => ({ sum: input.start, owner: input.owner }),
    on: {
      add: { actions: assign({ sum: ({ context, event }) => context.sum + (event.type === 'add' ? event.body.n : 0) }) },
      jam: { actions: () => { throw new Error('jammed'); } },
      read: { actions: replyWith(({ context }) => ({ sum: context.sum, owner: context.owner })) },
    },
  }),
  input: (ctx) => ({ start: 10, owner: ctx.address }),
});

/** Records each failure as `address: message`. */
function recordFailures(system: ActorSystem): string[] {
  const seen: string[] = [];
  system.on('failed').subscribe((event) => seen.push(`${event.address}: ${event.error.message}`));
  return seen;
}

function recordDeadLetters(system: ActorSystem): string[] {
  const seen: string[] = [];
  system.on('dead-lettered').subscribe((event) => seen.push(`${event.envelope?.type} ${event.reason.message}`));
  return seen;
}

describe('xstate actors', () => {
  let system: ActorSystem;
  let clock: VirtualClock;
  beforeEach(() => ({ system, clock } = testSystem()));
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

  it('runs `after` delays on the system clock: the machine moves when virtual time reaches the delay', async () => {
    const ref = system.spawn(lock, 'door');
    await ref.tell('arm', {});
    await clock.advance(999);
    assert.equal(await ref.ask('state', {}), 'armed');
    await clock.advance(1);
    assert.equal(await ref.ask('state', {}), 'open');
  });

  it('crashes at once when an invoked promise rejects without onError; the supervisor restarts it, nothing is dead-lettered', async () => {
    const events = recordEvents(system);
    const failures = recordFailures(system);
    const deadLetters = recordDeadLetters(system);
    startTree(system, supervisor({ children: [child('door', lock)] }), 'station');
    await system.ref('station/door', Lock).tell('load', {});
    await settleMany();
    assert.deepEqual(failures, ['station/door: code server down']);
    assert.deepEqual(events.slice(2), ['failed station/door', 'stopped station/door', 'started station/door', 'restarted station/door']);
    assert.deepEqual(deadLetters, []);
    assert.equal(await system.ref('station/door', Lock).ask('state', {}), 'idle');
  });

  it('crashes at once when a delayed transition\'s action throws, with that error', async () => {
    const events = recordEvents(system);
    const failures = recordFailures(system);
    const deadLetters = recordDeadLetters(system);
    startTree(system, supervisor({ children: [child('door', lock)] }), 'station');
    await system.ref('station/door', Lock).tell('armFaulty', {});
    await clock.advance(999);
    assert.deepEqual(failures, []);
    await clock.advance(1);
    await settleMany();
    assert.deepEqual(failures, ['station/door: late fault']);
    assert.deepEqual(events.slice(2), ['failed station/door', 'stopped station/door', 'started station/door', 'restarted station/door']);
    assert.deepEqual(deadLetters, []);
  });

  it('stops normally at once when a delay takes the machine to a final state', async () => {
    const events = recordEvents(system);
    startTree(system, supervisor({ children: [child('door', lock, { restart: 'transient' })] }), 'station');
    await system.ref('station/door', Lock).tell('armFinal', {});
    await clock.advance(1000);
    await settleMany();
    assert.deepEqual(events.slice(2), ['stopped station/door']);
    assert.equal(system.lookup('station/door')?.status().state, 'stopped');
  });

  it('starts the machine\'s context from its input, and a restart starts it again from a fresh input', async () => {
    startTree(system, supervisor({ children: [child('tally', tally)] }), 'station');
    const ref = system.ref('station/tally', Tally);
    assert.deepEqual(await ref.ask('read', {}), { sum: 10, owner: 'station/tally' });
    await ref.tell('add', { n: 5 });
    assert.deepEqual(await ref.ask('read', {}), { sum: 15, owner: 'station/tally' });
    await ref.tell('jam', {});
    await settleMany();
    assert.deepEqual(await ref.ask('read', {}), { sum: 10, owner: 'station/tally' });
  });

  it('fails an ask the machine never answers at once, with an error that says so', async () => {
    const ref = system.spawn(turnstile, 'gate');
    const asked = ref.ask('peek', {}).catch((error: unknown) => error);
    await settleMany();
    const error = await Promise.race([asked, 'still waiting']);
    assert.ok(error instanceof NoReplyError);
    assert.equal(error.code, 'NO_REPLY');
    assert.equal(
      error.message,
      "ask 'peek' to gate: the machine did not reply: call ctx.reply (or ctx.replyLater) in the transition's action, or use the replyWith helper",
    );
    assert.deepEqual(await ref.ask('state', {}), { value: 'locked', coins: 0 });
  });
});
