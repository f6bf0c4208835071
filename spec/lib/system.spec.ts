import assert from 'node:assert/strict';
import { z } from 'zod';
import { ActorStoppedError, SystemStoppedError, defineActor, defineProtocol, type ActorSystem, type VirtualClock } from '../../index.ts';
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
});
