import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  ActorStoppedError,
  InvalidMessageError,
  SystemStoppedError,
  UnknownMessageTypeError,
  child,
  createSystem,
  defineActor,
  defineProtocol,
  startTree,
  supervisor,
  type ActorSystem,
  type VirtualClock,
} from '../../internal.ts';
import { Counter, counter, settle, testSystem } from '../support/fixtures.ts';

const Ticker = defineProtocol('ticker', {
  start: { body: z.object({ everyMs: z.number() }) },
  tick: { body: z.object({}) },
  once: { body: z.object({ afterMs: z.number() }) },
  rang: { body: z.object({}) },
  stop: { body: z.object({}) },
  seen: { body: z.object({}), reply: z.object({ ticks: z.array(z.number()), rang: z.array(z.number()) }) },
});

const ticker = defineActor({
  protocol: Ticker,
  setup(ctx) {
    const ticks: number[] = [];
    const rang: number[] = [];
    return {
      start: ({ everyMs }) => ctx.timers.startPeriodic('tick', everyMs, 'tick', {}),
      tick: () => void ticks.push(ctx.clock.now()),
      once: ({ afterMs }) => ctx.timers.startSingle('bell', afterMs, 'rang', {}),
      rang: () => void rang.push(ctx.clock.now()),
      stop: () => ctx.timers.cancel('tick'),
      seen: () => ({ ticks, rang }),
    };
  },
});

describe('ActorSystem', () => {
  let system: ActorSystem;
  let clock: VirtualClock;
  beforeEach(() => ({ system, clock } = testSystem()));
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  it('fires actor timers on the virtual clock, in order, with no real waiting', async () => {
    const ref = system.spawn(ticker, 'ticker');
    await ref.tell('start', { everyMs: 1_000 });
    await ref.tell('once', { afterMs: 2_500 });
    const began = performance.now();
    await clock.advance(3_600_000); // one virtual hour
    await ref.tell('stop', {});
    await clock.advance(10_000);
    const { ticks, rang } = await ref.ask('seen', {});
    assert.ok(performance.now() - began < 5_000, 'an hour of virtual time takes well under real seconds');
    assert.equal(ticks.length, 3_600);
    assert.deepEqual(ticks.slice(0, 3), [1_000, 2_000, 3_000]);
    assert.deepEqual(rang, [2_500]);
  });

  it('cancels the timers of an incarnation when it ends', async () => {
    const ref = system.spawn(ticker, 'ticker');
    await ref.tell('start', { everyMs: 10 });
    await clock.advance(30);
    assert.equal(clock.pending, 1);
    await system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' });
    assert.equal(clock.pending, 0);
  });

  it('drains every mailbox before stopping, then stops in reverse start order', async () => {
    const { system: fresh } = testSystem('drain');
    const handled: number[] = [];
    const Slow = defineProtocol('slow', { work: { body: z.object({ n: z.number() }) } });
    const slow = defineActor({ protocol: Slow, setup: () => ({ work: async ({ n }) => void handled.push(n) }) });
    const first = fresh.spawn(slow, 'first');
    fresh.spawn(counter, 'second');
    for (let n = 0; n < 100; n++) void first.tell('work', { n });
    const stopped: string[] = [];
    fresh.on('stopped').subscribe((event) => stopped.push(event.address));
    await fresh.stop();
    assert.equal(handled.length, 100, 'every queued message was handled before the stop');
    assert.deepEqual(stopped, ['second', 'first']);
    await assert.rejects(first.tell('work', { n: 1 }), SystemStoppedError);
  });

  it('answers an ask still queued when the system stops with ActorStoppedError', async () => {
    const ref = system.spawn(counter, 'counter');
    await ref.tell('hang', {});
    const pending = ref.ask('get', {});
    await settle();
    await system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' });
    await assert.rejects(pending, (error: unknown) => error instanceof ActorStoppedError && error.address === 'counter');
  });

  it('publishes started, failed and stopped events with the clock time', async () => {
    const seen: string[] = [];
    system.events.subscribe((event) => seen.push(`${event.at} ${event.kind} ${event.address}`));
    await clock.advance(42);
    const ref = system.spawn(counter, 'counter');
    await ref.tell('crash', { reason: 'boom' });
    await settle();
    assert.deepEqual(seen, ['42 started counter', '42 dead-lettered counter', '42 failed counter', '42 stopped counter']);
    assert.equal(system.lookup('counter'), undefined, 'an unsupervised actor that fails is removed');
  });

  it('spawns child actors from a context and stops them when the parent incarnation ends', async () => {
    const Parent = defineProtocol('parent', { spawn: { body: z.object({ id: z.string() }) }, crash: { body: z.object({}) } });
    const parent = defineActor({
      protocol: Parent,
      setup: (ctx) => ({
        spawn: ({ id }) => void ctx.spawn(id, counter),
        crash: () => {
          throw new Error('parent down');
        },
      }),
    });
    const ref = system.spawn(parent, 'parent');
    await ref.tell('spawn', { id: 'kid' });
    await settle();
    const kid = system.ref('parent/kid', Counter);
    await kid.tell('add', { by: 3 });
    assert.equal(await kid.ask('get', {}), 3);
    await ref.tell('crash', {});
    await settle();
    assert.equal(system.lookup('parent/kid'), undefined);
    await assert.rejects(kid.tell('add', { by: 1 }), { code: 'UNKNOWN_ADDRESS' });
  });

  it('refuses a second actor at the same address', () => {
    system.spawn(counter, 'counter');
    assert.throws(() => system.spawn(counter, 'counter'), { code: 'DUPLICATE_ADDRESS' });
    assert.throws(() => system.spawn(counter, 'bad address!'), { code: 'INVALID_ADDRESS' });
  });

  it('reports each actor in status with its mailbox depth and counts', async () => {
    const ref = system.spawn(counter, 'counter');
    await ref.tell('add', { by: 1 });
    await ref.tell('hang', {});
    await settle();
    await ref.tell('add', { by: 1 });
    const [status] = system.status();
    assert.deepEqual(status, { address: 'counter', kind: 'actor', state: 'running', restarts: 0, mailboxDepth: 1, handled: 1, failed: 0 });
  });

  describe('checks what is sent in-process against the receiver\'s protocol', () => {
    /** A supervised counter holding 2, and the events that would show a crash or a restart. */
    async function counterAt2(on: ActorSystem) {
      startTree(on, supervisor({ children: [child('counter', counter)] }), 'app');
      const ref = on.ref('app/counter', Counter);
      await ref.tell('add', { by: 2 });
      const seen: string[] = [];
      on.events.subscribe((event) => seen.push(`${event.kind} ${event.address}`));
      return { ref, seen };
    }

    it('refuses a wrong body to the sender with InvalidMessageError; the actor keeps its state', async () => {
      const { ref, seen } = await counterAt2(system);
      await assert.rejects(ref.tell('add', { by: 'two' } as never), (error: unknown) => {
        assert.ok(error instanceof InvalidMessageError);
        assert.equal(error.code, 'INVALID_MESSAGE');
        assert.deepEqual(error.issues, ['by: Invalid input: expected number, received string']);
        return true;
      });
      await assert.rejects(ref.tell('add', { by: 1.5 }), InvalidMessageError);
      await assert.rejects(ref.ask('get', 'all' as never), InvalidMessageError);
      await settle();
      assert.equal(await ref.ask('get', {}), 2);
      assert.deepEqual(seen, ['rejected app/counter', 'rejected app/counter', 'rejected app/counter']);
      const [tree] = system.status();
      assert.deepEqual(tree.children?.[0], { address: 'app/counter', kind: 'actor', state: 'running', restarts: 0, mailboxDepth: 0, handled: 2, failed: 0 });
    });

    it('refuses a type the receiver lacks with UnknownMessageTypeError, sent through an untyped ref or one of another protocol', async () => {
      const { ref, seen } = await counterAt2(system);
      const Other = defineProtocol('other', { reset: { body: z.object({}) }, peek: { body: z.object({}), reply: z.number() } });
      const untyped = system.ref('app/counter');
      const other = system.ref('app/counter', Other);
      const refused = (error: unknown) => error instanceof UnknownMessageTypeError && error.protocol === 'counter' && error.type === 'reset';
      await assert.rejects(untyped.tell('reset' as never, {} as never), refused);
      await assert.rejects(other.tell('reset', {}), refused);
      await assert.rejects(other.ask('peek', {}), (error: unknown) => error instanceof UnknownMessageTypeError && error.type === 'peek');
      await settle();
      assert.equal(await ref.ask('get', {}), 2, 'the state survived: no crash, no restart');
      assert.deepEqual(seen, ['rejected app/counter', 'rejected app/counter', 'rejected app/counter']);
      assert.equal(system.status()[0].children?.[0].restarts, 0);
    });

    it('with validateLocal: false skips the body check on a trusted path, but still refuses an unknown type', async () => {
      const trusted = createSystem({ name: 'trusted', validateLocal: false });
      try {
        const { ref } = await counterAt2(trusted);
        await ref.tell('add', { by: 3, note: 'unchecked' } as never);
        assert.equal(await ref.ask('get', {}), 5);
        await assert.rejects(trusted.ref('app/counter').tell('reset' as never, {} as never), UnknownMessageTypeError);
        assert.equal(await ref.ask('get', {}), 5);
      } finally {
        await trusted.stop({ drainTimeoutMs: 0 });
      }
    });
  });
});
