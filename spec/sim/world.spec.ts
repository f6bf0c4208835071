import assert from 'node:assert/strict';
import { z } from 'zod';
import { assign, setup } from 'xstate';
import { child, defineActor, defineMachineActor, defineProtocol, NetworkUnreachableError, startTree, supervisor, type MachineEvent } from '../../internal.ts';
import { checkInvariants, SimWorld } from '../../sim/index.ts';

const Note = defineProtocol('note', { note: { body: z.object({ n: z.number().int() }) } });

describe('sim: the world', () => {
  it('a broker crash keeps confirmed messages and redelivers what was unacked', async () => {
    const world = new SimWorld(7, { calmAt: 100, faults: { drop: 0, duplicate: 0, reorder: 0, actorCrash: 0, delay: { kind: 'uniform', minMs: 5, maxMs: 5 } } });
    const seen: number[] = [];
    const node = world.addNode('a', (self) => {
      self.system.spawn(defineActor({ protocol: Note, setup: () => ({ note: ({ n }) => void seen.push(n) }) }), 'a/notes');
    });
    const confirmed: number[] = [];
    for (let n = 0; n < 5; n++) node.system.ref('a/notes', Note).tell('note', { n }).then(() => confirmed.push(n));
    // Publishes arrive at 5 ms, confirms and deliveries at 10 ms, acks would arrive at 15 ms.
    world.at(12, () => world.crashBroker(30));
    await world.run();
    assert.deepEqual(confirmed, [0, 1, 2, 3, 4]);
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    const texts = world.trace.entries.map((entry) => `${entry.kind} ${entry.text}`);
    assert.ok(texts.includes('fault broker-crash'));
    assert.equal(texts.filter((text) => text.startsWith('dedupe ')).length, 5);
    assert.deepEqual(checkInvariants(world), []);
  });

  it('a crashed node comes back with a new system and gets its unacked messages again', async () => {
    const world = new SimWorld(3, { calmAt: 100, faults: { drop: 0, duplicate: 0, reorder: 0, actorCrash: 0, delay: { kind: 'uniform', minMs: 5, maxMs: 5 } } });
    const handledBy: string[] = [];
    const b = world.addNode('b', (self) => {
      self.system.spawn(defineActor({ protocol: Note, setup: () => ({ note: ({ n }) => void handledBy.push(`${n}@${self.key}`) }) }), 'b/notes');
    });
    const a = world.addNode('a', () => {});
    for (let n = 0; n < 3; n++) void a.system.ref('b/notes', Note).tell('note', { n });
    world.at(8, () => world.crashNode('b', 50)); // after the publishes, before the deliveries arrive
    await world.run();
    assert.deepEqual(handledBy, ['0@b#2', '1@b#2', '2@b#2']);
    assert.equal(b.incarnation, 2);
    assert.deepEqual(checkInvariants(world), []);
  });

  it('crashes a crashable xstate actor on schedule; its supervisor restarts it from the initial state', async () => {
    const world = new SimWorld(5, { transport: 'in-process', calmAt: 100, faults: { drop: 0, duplicate: 0, reorder: 0, actorCrash: 0, delay: { kind: 'uniform', minMs: 1, maxMs: 1 } } });
    const Tally = defineProtocol('tally', { note: { body: z.object({ n: z.number().int() }) }, total: { body: z.object({}), reply: z.number() } });
    const tally = defineMachineActor({
      protocol: Tally,
      machine: (ctx) =>
        setup({ types: { context: {} as { sum: number }, events: {} as MachineEvent<typeof Tally> } }).createMachine({
          context: { sum: 0 },
          on: {
            note: { actions: assign({ sum: ({ context, event }) => context.sum + (event.type === 'note' ? event.body.n : 0) }) },
            total: { actions: ({ context }) => ctx.reply(context.sum) },
          },
        }),
    });
    const node = world.addNode('a', (self) => void startTree(self.system, supervisor({ children: [child('tally', world.crashable(tally))] }), 'a'));
    const ref = () => node.system.ref('a/tally', Tally);
    world.at(10, () => void ref().tell('note', { n: 1 }));
    world.at(20, () => world.crashActor('a/tally'));
    world.at(30, () => void ref().tell('note', { n: 10 })); // crashes it: the note is lost with the incarnation
    world.at(40, () => void ref().tell('note', { n: 100 }));
    let total: number | undefined;
    world.at(50, () => void ref().ask('total', {}).then((value) => (total = value)));
    await world.run();
    assert.equal(total, 100, 'the restarted machine began again at sum 0 and the crashing note was dead-lettered');
    assert.ok(world.trace.entries.some((entry) => entry.kind === 'fault' && entry.text === 'crash-actor a/tally'));
  });

  it('a stream keeps its order across a partition: what is sent after the heal never overtakes what the partition held back', async () => {
    const world = new SimWorld(3, { calmAt: 1_000 });
    const server = world.network.portFor('server');
    const client = world.network.portFor('client');
    const received: string[] = [];
    let ended = false;
    await server.listen({ host: 'server', port: 80 }, ({ stream }) => {
      stream.on('data', (chunk: Buffer) => received.push(chunk.toString()));
      stream.on('end', () => (ended = true));
    });
    const { stream } = await client.dial({ host: 'server', port: 80 });
    world.at(100, () => world.network.partition(['client'], ['server']));
    world.at(110, () => stream.write('held back'));
    world.at(120, () => world.network.heal());
    // Within the retransmission wait after the heal: these must queue behind the held-back chunk.
    world.at(121, () => stream.write('after the heal'));
    world.at(122, () => stream.end());
    await world.run();
    assert.deepEqual(received, ['held back', 'after the heal']);
    assert.equal(ended, true);
  });

  it('the simulated network carries streams and datagrams, and a partition refuses dials', async () => {
    const world = new SimWorld(1, { calmAt: 1_000 });
    const server = world.network.portFor('server');
    const client = world.network.portFor('client');
    await server.listen({ host: 'server', port: 80 }, ({ stream }) => stream.on('data', (chunk: Buffer) => stream.write(`echo:${chunk}`)));
    const received: string[] = [];
    await server.bindDatagram({ host: 'server', port: 53 }, (bytes) => received.push(Buffer.from(bytes).toString()));
    const socket = await client.bindDatagram({ host: 'client', port: 0 }, () => {});
    const { stream, remote } = await client.dial({ host: 'server', port: 80 });
    assert.deepEqual(remote, { host: 'server', port: 80 });
    const echoed = new Promise<string>((resolve) => stream.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    stream.write('hello');
    await socket.send(Buffer.from('query'), { host: 'server', port: 53 });
    world.at(500, () => world.network.partition(['client'], ['server']));
    const run = world.run();
    assert.equal(await echoed, 'echo:hello');
    await run;
    assert.deepEqual(received, ['query']);
    world.network.partition(['client'], ['server']);
    await assert.rejects(client.dial({ host: 'server', port: 80 }), NetworkUnreachableError);
    stream.destroy();
  });
});
