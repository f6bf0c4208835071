import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  AskTimeoutError,
  ActorCrashedError,
  UnknownAddressError,
  UnknownMessageTypeError,
  defineActor,
  defineProtocol,
  type ActorSystem,
} from '../../internal.ts';
import { Counter, counter, settle, testSystem } from '../support/fixtures.ts';
import type { VirtualClock } from '../../internal.ts';

describe('ActorRef tell and ask', () => {
  let system: ActorSystem;
  let clock: VirtualClock;
  beforeEach(() => ({ system, clock } = testSystem()));
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  it('delivers tells in order and answers an ask with the typed reply', async () => {
    const ref = system.spawn(counter, 'counter');
    await ref.tell('add', { by: 2 });
    await ref.tell('add', { by: 40 });
    const total: number = await ref.ask('get', {});
    assert.equal(total, 42);
  });

  it('replies to asks between actors, each ask with its own answer', async () => {
    const Doubler = defineProtocol('doubler', { double: { body: z.object({ of: z.number() }), reply: z.number() } });
    system.spawn(counter, 'counter');
    const doubler = system.spawn(
      defineActor({
        protocol: Doubler,
        setup: (ctx) => {
          const source = ctx.ref('counter', Counter);
          return { double: async ({ of }) => of * 2 + (await source.ask('get', {})) };
        },
      }),
      'doubler',
    );
    await system.ref('counter', Counter).tell('add', { by: 1 });
    const answers = await Promise.all([1, 2, 3].map((of) => doubler.ask('double', { of })));
    assert.deepEqual(answers, [3, 5, 7]);
  });

  it('rejects an ask nobody answers with AskTimeoutError after exactly the timeout', async () => {
    const silent = system.spawn(counter, 'silent');
    await silent.tell('hang', {}); // busy for ever, so the ask behind it is never answered
    const timedOut = silent.ask('get', {}, { timeoutMs: 250 }).catch((error: unknown) => error);
    await clock.advance(249);
    let settled = false;
    void timedOut.then(() => (settled = true));
    await settle();
    assert.equal(settled, false, 'must not time out before 250 ms');
    await clock.advance(1);
    const error = await timedOut;
    assert.ok(error instanceof AskTimeoutError);
    assert.equal(error.code, 'ASK_TIMEOUT');
    assert.equal(error.to, 'silent');
  });

  it('rejects a tell or ask to an unknown address with UnknownAddressError and dead-letters it', async () => {
    const dead: string[] = [];
    system.on('dead-lettered').subscribe((event) => dead.push(`${event.address} ${event.reason.constructor.name}`));
    const ref = system.ref('nobody/home', Counter);
    await assert.rejects(ref.tell('add', { by: 1 }), UnknownAddressError);
    await assert.rejects(ref.ask('get', {}), (error: unknown) => error instanceof UnknownAddressError && error.address === 'nobody/home');
    assert.deepEqual(dead, ['nobody/home UnknownAddressError', 'nobody/home UnknownAddressError']);
  });

  it('refuses a message type outside the protocol with UnknownMessageTypeError', async () => {
    const ref = system.spawn(counter, 'counter');
    await assert.rejects(ref.tell('reset' as never, {} as never), UnknownMessageTypeError);
    assert.equal(system.counters.rejected, 1);
  });

  it('answers an ask whose handler crashed with ActorCrashedError carrying the cause', async () => {
    const ref = system.spawn(counter, 'counter');
    const Crashy = defineProtocol('crashy', { get: { body: z.object({}), reply: z.number() } });
    const crashy = system.spawn(defineActor({ protocol: Crashy, setup: () => ({ get: () => { throw new Error('no'); } }) }), 'crashy');
    const error = await crashy.ask('get', {}).catch((e: unknown) => e);
    assert.ok(error instanceof ActorCrashedError);
    assert.equal((error.cause as Error).message, 'no');
    assert.equal(await ref.ask('get', {}), 0, 'other actors are untouched');
  });

  it('lets a handler reply later through replyLater', async () => {
    const Later = defineProtocol('later', { wait: { body: z.object({}), reply: z.string() }, release: { body: z.object({}) } });
    const ref = system.spawn(
      defineActor({
        protocol: Later,
        setup(ctx) {
          const waiting: ((value: string) => void)[] = [];
          return {
            wait: () => ctx.replyLater(new Promise<string>((resolve) => waiting.push(resolve))),
            release: () => waiting.splice(0).forEach((reply, i) => reply(`released ${i}`)),
          };
        },
      }),
      'later',
    );
    const first = ref.ask('wait', {});
    const second = ref.ask('wait', {});
    await ref.tell('release', {});
    assert.deepEqual(await Promise.all([first, second]), ['released 0', 'released 1']);
  });
});
