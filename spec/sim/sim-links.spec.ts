import assert from 'node:assert/strict';
import { LinkLostError, LinkRefusedError, type LinkDelivery, type LinkSender } from '../../internal.ts';
import { SimWorld, formatEntry } from '../../sim/index.ts';

const FIXED = { drop: 0, duplicate: 0, reorder: 0, actorCrash: 0, delay: { kind: 'uniform', minMs: 5, maxMs: 5 } } as const;
const JITTER = { ...FIXED, delay: { kind: 'uniform', minMs: 1, maxMs: 20 } } as const;
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

/** A float listening for links on node `float`, a peer on node `peer` that connects and opens a sender. */
function floatAndPeer(world: SimWorld, credit: number, held: LinkDelivery[], log: string[]) {
  world.addNode('float', (node) => {
    void node.system.links.listen({ host: 'float', port: 5671, name: 'float-a' }, (session) => {
      log.push(`${world.now} session from ${session.peer.commonName}`);
      session.onReceiverOpened(({ address }) =>
        address.startsWith('inbox/')
          ? { credit, onDelivery: (delivery) => (log.push(`${world.now} received ${text(delivery.bytes)}`), held.push(delivery)) }
          : { refuse: { condition: 'amqp:unauthorized-access', description: `'${address}' is not an inbox` } },
      );
    });
  });
  const peer = world.addNode('peer', () => {});
  return async (): Promise<LinkSender> => {
    const session = await peer.system.links.connect({ host: 'float', port: 5671, name: 'peer-b' });
    assert.equal(session.peer.commonName, 'float-a');
    return session.openSender('inbox/a');
  };
}

describe('sim: Links in virtual time', () => {
  it('settles a send only when the receiver accepts, and bounds unsettled deliveries by credit', async () => {
    const world = new SimWorld(1, { transport: 'in-process', calmAt: 100, faults: FIXED });
    const held: LinkDelivery[] = [];
    const log: string[] = [];
    const open = floatAndPeer(world, 2, held, log);
    world.at(1, async () => {
      const sender = await open();
      for (const n of [1, 2, 3, 4, 5]) void sender.send(bytes(`m${n}`), { messageId: `id-${n}` }).then((s) => log.push(`${world.now} settled ${s.messageId}`));
    });
    world.at(200, () => {
      log.push(`${world.now} holding ${held.length}`);
      held[0].accept();
    });
    world.at(300, () => {
      log.push(`${world.now} holding ${held.length}`);
      for (const delivery of held.slice(1)) delivery.accept();
    });
    world.at(400, () => held.slice(3).forEach((delivery) => delivery.accept()));
    await world.run();
    assert.deepEqual(log, [
      '1 session from peer-b',
      '21 received m1', '21 received m2',
      '200 holding 2',
      '205 settled id-1', '210 received m3',
      '300 holding 3',
      '305 settled id-2', '305 settled id-3', '310 received m4', '310 received m5',
      '405 settled id-4', '405 settled id-5',
    ]);
  });

  it('refuses a link with the receiver\'s condition', async () => {
    const world = new SimWorld(2, { transport: 'in-process', calmAt: 100, faults: FIXED });
    floatAndPeer(world, 1, [], []);
    let refusal: unknown;
    world.at(1, async () => {
      const session = await world.node('peer').system.links.connect({ host: 'float', port: 5671, name: 'peer-b' });
      refusal = await session.openSender('control/stop').catch((error: unknown) => error);
    });
    await world.run();
    assert.ok(refusal instanceof LinkRefusedError);
    assert.equal(refusal.condition, 'amqp:unauthorized-access');
  });

  it('a partition breaks the session: unsettled sends reject with LinkLostError', async () => {
    const world = new SimWorld(3, { transport: 'in-process', calmAt: 500, faults: FIXED });
    const held: LinkDelivery[] = [];
    const outcomes: string[] = [];
    const open = floatAndPeer(world, 5, held, []);
    world.at(1, async () => {
      const sender = await open();
      for (const n of [1, 2]) void sender.send(bytes(`m${n}`)).then(() => outcomes.push(`m${n} settled`), (error: LinkLostError) => outcomes.push(`m${n} ${error.code} ${world.now}`));
    });
    world.schedule([{ at: 50, kind: 'partition', sides: [['peer'], ['float']] }, { at: 80, kind: 'heal' }]);
    world.at(100, () => held.forEach((delivery) => delivery.accept()));
    await world.run();
    assert.equal(held.length, 2);
    assert.deepEqual(outcomes, ['m1 LINK_LOST 50', 'm2 LINK_LOST 50']);
  });

  it('a crashed host breaks its sessions', async () => {
    const world = new SimWorld(4, { transport: 'in-process', calmAt: 500, faults: FIXED });
    const outcomes: string[] = [];
    const open = floatAndPeer(world, 5, [], []);
    world.at(1, async () => {
      const sender = await open();
      void sender.send(bytes('m1')).catch((error: LinkLostError) => outcomes.push(`${error.code} ${error.reason} ${world.now}`));
    });
    world.at(60, () => world.crashNode('float', 100));
    await world.run();
    assert.deepEqual(outcomes, ['LINK_LOST float crashed 60']);
  });

  it('is deterministic by seed', async () => {
    const runOnce = async (seed: number) => {
      const world = new SimWorld(seed, { transport: 'in-process', calmAt: 300, faults: JITTER });
      const held: LinkDelivery[] = [];
      const log: string[] = [];
      const open = floatAndPeer(world, 3, held, log);
      world.at(1, async () => {
        const sender = await open();
        for (let n = 0; n < 8; n++) void sender.send(bytes(`m${n}`)).then(() => log.push(`${world.now} settled m${n}`), () => log.push(`lost m${n}`));
      });
      for (let t = 50; t <= 250; t += 50) world.at(t, () => held.splice(0).forEach((delivery) => delivery.accept()));
      await world.run();
      return [...log, ...world.trace.entries.map(formatEntry)].join('\n');
    };
    const first = await runOnce(11);
    assert.equal(await runOnce(11), first);
    assert.notEqual(await runOnce(12), first);
    assert.match(first, /settled m7/);
  });
});
