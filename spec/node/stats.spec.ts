import assert from 'node:assert/strict';
import { setup } from 'xstate';
import { z } from 'zod';
import {
  actorChannel,
  child,
  ControlClient,
  defineActor,
  defineMachineActor,
  defineProtocol,
  defineTopology,
  run,
  seededRandom,
  supervisor,
  VirtualClock,
  type MachineEvent,
  type NodeStats,
  type SystemEvent,
} from '../../internal.ts';
import { Counter, counter, settleMany } from '../support/fixtures.ts';

const Gate = defineProtocol('gate', {
  coin: { body: z.object({}) },
  push: { body: z.object({}) },
});

/** A turnstile machine: its state value is what `stats` reports as `machineState`. */
const gate = defineMachineActor({
  protocol: Gate,
  machine: setup({ types: { events: {} as MachineEvent<typeof Gate> } }).createMachine({
    initial: 'locked',
    states: { locked: { on: { coin: 'unlocked' } }, unlocked: { on: { push: 'locked' } } },
  }),
});

const Slow = defineProtocol('slow', { answer: { body: z.object({ afterMs: z.number() }), reply: z.string() } });

/** Answers each ask after `afterMs` on the clock port, while taking the next ask at once. */
const slow = defineActor({
  protocol: Slow,
  mailbox: { capacity: 200, overflow: 'backpressure' },
  setup: (ctx) => ({
    answer: ({ afterMs }) => ctx.replyLater(new Promise<string>((resolve) => ctx.clock.setTimer(afterMs, () => resolve('done')))),
  }),
});

const topology = defineTopology('stats', {
  n: supervisor({ children: [child('plain', counter), child('gate', gate), child('slow', slow)] }),
});

function start() {
  const clock = new VirtualClock();
  const running = run(topology, { control: true, ports: { clock, random: seededRandom(3) } });
  const events: SystemEvent[] = [];
  running.system.events.subscribe((event) => events.push(event));
  // No key: stats is read-only and answers anyone.
  const client = new ControlClient(actorChannel(running.system, 'n'));
  return { clock, running, events, client };
}

function actor(stats: NodeStats, address: string) {
  const found = stats.actors.find((a) => a.address === address);
  assert.ok(found, `no stats for ${address}`);
  return found;
}

describe('control plane: stats, the live figures of every actor', () => {
  it('reports a plain actor: mailbox and bound, received/handled/failed, dead letters, asks, incarnation and last exit', async () => {
    const { running, client } = start();
    const plain = running.ref('n/plain', Counter);
    for (let i = 0; i < 3; i++) await plain.tell('add', { by: 1 });
    assert.equal(await plain.ask('get', {}), 3);
    await plain.tell('crash', { reason: 'boom' });
    await settleMany();
    await plain.tell('add', { by: 1 });
    assert.equal(await plain.ask('get', {}), 1);

    const stats = await client.stats();
    assert.equal(stats.node, 'n');
    assert.deepEqual(stats.bucketsMs.slice(0, 3), [1, 2, 5]);
    const figures = actor(stats, 'n/plain');
    assert.equal(figures.state, 'running');
    assert.deepEqual(figures.mailbox, { depth: 0, capacity: 10_000, overflow: 'reject' });
    assert.equal(figures.received, 7);
    assert.equal(figures.handled, 6);
    assert.equal(figures.failed, 1);
    assert.equal(figures.crashes, 1);
    assert.equal(figures.refused, 0);
    // The message it crashed on is never retried in memory: a dead letter of its own.
    assert.equal(figures.deadLettered, 1);
    assert.equal(figures.incarnation, 2);
    assert.equal(figures.restarts, 1);
    assert.equal(figures.lastExit?.kind, 'failure');
    assert.equal(figures.lastExit?.message, 'boom');
    assert.equal(figures.asks.count, 2);
    assert.equal(figures.asks.p50Ms, 1);
    assert.equal(figures.asks.p99Ms, 1);
    assert.equal(figures.machineState, undefined);
    await running.stop();
  });

  it('reports a machine actor with its current xstate state value', async () => {
    const { running, client } = start();
    const ref = running.ref('n/gate', Gate);
    assert.equal(actor(await client.stats({ address: 'n/gate' }), 'n/gate').machineState, 'locked');
    await ref.tell('coin', {});
    await settleMany();
    const figures = actor(await client.stats({ address: 'n/gate' }), 'n/gate');
    assert.equal(figures.machineState, 'unlocked');
    assert.equal(figures.handled, 1);
    assert.equal(figures.incarnation, 1);
    assert.equal(figures.lastExit, undefined);
    await running.stop();
  });

  it('measures ask latency from taking the ask to its answer, on the clock port, as p50/p99 bucket bounds', async () => {
    const { running, client, clock } = start();
    const ref = running.ref('n/slow', Slow);
    const quick = Array.from({ length: 98 }, () => ref.ask('answer', { afterMs: 3 }));
    const late = [ref.ask('answer', { afterMs: 400 }), ref.ask('answer', { afterMs: 400 })];
    await settleMany();
    await clock.advance(3);
    await Promise.all(quick);
    await clock.advance(400);
    await Promise.all(late);
    const figures = actor(await client.stats({ address: 'n/slow' }), 'n/slow');
    assert.equal(figures.asks.count, 100);
    assert.equal(figures.asks.p50Ms, 5); // 3 ms falls in (2, 5]
    assert.equal(figures.asks.p99Ms, 500); // 400 ms falls in (250, 500]
    assert.equal(figures.asks.sumMs, 98 * 3 + 2 * 400);
    assert.deepEqual(figures.mailbox, { depth: 0, capacity: 200, overflow: 'backpressure' });
    await running.stop();
  });

  it('pages in address order with after/limit, and refuses an address the node does not host', async () => {
    const { running, client, events } = start();
    const first = await client.stats({ limit: 2 });
    assert.deepEqual(first.actors.map((a) => a.address), ['n/$control', 'n/gate']);
    assert.equal(first.next, 'n/gate');
    const second = await client.stats({ limit: 2, after: first.next });
    assert.deepEqual(second.actors.map((a) => a.address), ['n/plain', 'n/slow']);
    assert.equal(second.next, undefined);
    const all = await client.allStats();
    assert.deepEqual(all.actors.map((a) => a.address), ['n/$control', 'n/gate', 'n/plain', 'n/slow']);
    await assert.rejects(client.stats({ address: 'elsewhere/x' }), { code: 'NOT_SUPERVISED' });
    assert.ok(events.some((e) => e.kind === 'control-refused' && e.request === 'stats' && e.address === 'elsewhere/x'));
    await running.stop();
  });

  it('publishes a refused control request as a control-refused event', async () => {
    const { running, client, events } = start();
    await assert.rejects(client.restart('n/plain'), { code: 'CONTROL_UNAUTHORIZED' });
    const refused = events.find((e) => e.kind === 'control-refused');
    assert.ok(refused && refused.kind === 'control-refused');
    assert.equal(refused.request, 'restart');
    assert.equal(refused.address, 'n/plain');
    assert.equal((refused.reason as { code?: string }).code, 'CONTROL_UNAUTHORIZED');
    await running.stop();
  });
});
