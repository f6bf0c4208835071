import assert from 'node:assert/strict';
import { setup } from 'xstate';
import { z } from 'zod';
import {
  ActorCrashedError,
  NetworkUnreachableError,
  child,
  defineActor,
  defineMachineActor,
  defineProtocol,
  startTree,
  supervisor,
  type ActorSystem,
  type MachineEvent,
} from '../../internal.ts';
import { settleMany, testSystem } from '../support/fixtures.ts';

/** A waiter: `wait` is answered only when `release` (or `fail`) comes; `count` and `note` pass meanwhile. */
const Waiter = defineProtocol('waiter', {
  wait: { body: z.object({ id: z.string() }), reply: z.object({ id: z.string(), at: z.number() }) },
  release: { body: z.object({ at: z.number() }) },
  fail: { body: z.object({}) },
  note: { body: z.object({}) },
  count: { body: z.object({}), reply: z.number() },
  twice: { body: z.object({}), reply: z.number() },
  crash: { body: z.object({}) },
});

interface Parked {
  id: string;
  resolve(value: { id: string; at: number }): void;
  reject(error: Error): void;
}

/** The waiters of every incarnation, so a spec can answer one after its incarnation ended. */
const parked: Parked[] = [];

const waiter = defineActor({
  protocol: Waiter,
  setup(ctx) {
    let handled = 0;
    return {
      wait: ({ id }) => {
        handled++;
        return ctx.replyLater(new Promise<{ id: string; at: number }>((resolve, reject) => parked.push({ id, resolve, reject })));
      },
      release: ({ at }) => void parked.splice(0).forEach((entry) => entry.resolve({ id: entry.id, at })),
      fail: () => void parked.splice(0).forEach((entry) => entry.reject(new NetworkUnreachableError('core/waiter', 'elsewhere'))),
      note: () => void ctx.replyLater(Promise.reject(new Error('nobody asked'))),
      count: () => ++handled,
      twice: () => {
        ctx.reply(1);
        return ctx.replyLater(Promise.resolve(2));
      },
      crash: () => {
        throw new Error('boom');
      },
    };
  },
});

describe('ctx.replyLater: typed late replies that leave the mailbox free', () => {
  let system: ActorSystem;
  beforeEach(() => {
    parked.length = 0;
    ({ system } = testSystem());
  });
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  it('handles other messages while a reply is pending, then answers each ask with its own typed reply', async () => {
    const ref = system.spawn(waiter, 'waiter');
    const first = ref.ask('wait', { id: 'a' });
    const second = ref.ask('wait', { id: 'b' });
    // Both asks wait, yet the mailbox moved on: `count` is answered before either.
    assert.equal(await ref.ask('count', {}), 3);
    assert.equal(parked.length, 2);
    await ref.tell('release', { at: 7 });
    const answers: { id: string; at: number }[] = await Promise.all([first, second]);
    assert.deepEqual(answers, [
      { id: 'a', at: 7 },
      { id: 'b', at: 7 },
    ]);
  });

  it('answers the asker with the rejection, typed, and the actor does not crash', async () => {
    const failures: string[] = [];
    system.on('failed').subscribe((event) => failures.push(event.address));
    const ref = system.spawn(waiter, 'waiter');
    const pending = ref.ask('wait', { id: 'a' });
    await ref.tell('fail', {});
    await assert.rejects(pending, (error: unknown) => error instanceof NetworkUnreachableError && error.code === 'NETWORK_UNREACHABLE');
    assert.equal(await ref.ask('count', {}), 2, 'the same incarnation goes on');
    assert.deepEqual(failures, []);
    assert.equal(system.lookup('waiter')?.status().failed, 0);
  });

  it('a rejection nobody waits for (a tell) is logged, neither sent nor a crash', async () => {
    const ref = system.spawn(waiter, 'waiter');
    await ref.tell('note', {});
    await settleMany(3);
    assert.equal(await ref.ask('count', {}), 1);
    assert.deepEqual(system.counters, { deadLettered: 0, rejected: 0, droppedReplies: 0 });
  });

  it('only the first answer counts: after ctx.reply, replyLater sends nothing', async () => {
    const ref = system.spawn(waiter, 'waiter');
    assert.equal(await ref.ask('twice', {}), 1);
    await settleMany(3);
    assert.equal(system.counters.droppedReplies, 0, 'no second reply went out');
  });

  it('still answers after its incarnation ended (the asker is waiting): a restart does not swallow it', async () => {
    startTree(system, supervisor({ children: [child('waiter', waiter)] }), 'core');
    const ref = system.ref('core/waiter', Waiter);
    const pending = ref.ask('wait', { id: 'a' });
    await settleMany(2);
    await ref.tell('crash', {}).catch(() => {});
    await settleMany(3);
    assert.equal(system.lookup('core/waiter')?.status().restarts, 1);
    parked.splice(0).forEach((entry) => entry.resolve({ id: entry.id, at: 1 }));
    assert.deepEqual(await pending, { id: 'a', at: 1 });
  });

  it('a handler that throws before promising crashes the actor as any handler does', async () => {
    const Broken = defineProtocol('broken', { wait: { body: z.object({}), reply: z.number() } });
    const broken = system.spawn(
      defineActor({
        protocol: Broken,
        setup: () => ({
          wait: () => {
            throw new Error('before the promise');
          },
        }),
      }),
      'broken',
    );
    await assert.rejects(broken.ask('wait', {}), ActorCrashedError);
  });

  it('serves a machine too: an action promises the answer and the machine takes the next event at once', async () => {
    const Desk = defineProtocol('desk', { lookup: { body: z.object({ key: z.string() }), reply: z.string() }, ping: { body: z.object({}), reply: z.string() } });
    const answers: ((value: string) => void)[] = [];
    const desk = defineMachineActor({
      protocol: Desk,
      machine: (ctx) =>
        setup({ types: { events: {} as MachineEvent<typeof Desk> } }).createMachine({
          on: {
            lookup: { actions: () => void ctx.replyLater(new Promise<string>((resolve) => answers.push(resolve))) },
            ping: { actions: () => ctx.reply('pong') },
          },
        }),
    });
    const ref = system.spawn(desk, 'desk');
    const looked = ref.ask('lookup', { key: 'k' });
    assert.equal(await ref.ask('ping', {}), 'pong', 'no NoReplyError for the lookup, and the mailbox moved on');
    answers.forEach((answer) => answer('found'));
    assert.equal(await looked, 'found');
  });
});
