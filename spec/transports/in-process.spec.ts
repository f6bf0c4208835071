import assert from 'node:assert/strict';
import { InProcessTransport, createSystem, defineTopology, run, child, supervisor } from '../../internal.ts';
import { Counter, counter } from '../support/fixtures.ts';

describe('in-process transport', () => {
  it('lets two systems (nodes) sharing one transport tell and ask across', async () => {
    const transport = new InProcessTransport();
    const edge = createSystem({ name: 'edge', transport });
    const core = createSystem({ name: 'core', transport });
    core.spawn(counter, 'core/counter');
    const remote = edge.ref('core/counter', Counter);
    await remote.tell('add', { by: 5 });
    assert.equal(await remote.ask('get', {}), 5, 'the reply found its way back to the asking system');
    await edge.stop();
    await core.stop();
  });

  it('hands over the very object sent (no encoding) and frees the address on close', async () => {
    const transport = new InProcessTransport();
    const mailbox = transport.openMailbox('a', { capacity: 4, overflow: 'reject' });
    const envelope = { id: '1', to: 'a', type: 'add', body: { by: 1 }, attempt: 0 };
    await transport.route('a')!.send(envelope);
    assert.equal(mailbox.take(), envelope);
    assert.deepEqual(mailbox.close(), []);
    assert.equal(transport.route('a'), undefined);
    assert.equal(transport.openMailbox('a', { capacity: 4, overflow: 'reject' }).address, 'a');
  });
});

describe('topology', () => {
  it('runs every node of a topology in one process and restarts one actor on request', async () => {
    const topology = defineTopology('shop', {
      front: supervisor({ children: [child('a', counter), child('b', counter)] }),
      back: supervisor({ strategy: 'one_for_all', children: [child('c', counter), child('d', counter)] }),
    });
    const running = run(topology);
    const restarted: string[] = [];
    running.system.on('restarted').subscribe((event) => restarted.push(event.address));
    for (const address of ['front/a', 'front/b', 'back/c', 'back/d']) await running.ref(address, Counter).tell('add', { by: 1 });
    await running.restart('front/a');
    await running.restart('back/c');
    assert.deepEqual(restarted, ['front/a', 'back/c', 'back/d']);
    const totals = await Promise.all(['front/a', 'front/b', 'back/c', 'back/d'].map((a) => running.ref(a, Counter).ask('get', {})));
    assert.deepEqual(totals, [0, 1, 0, 0]);
    assert.deepEqual(running.status().map((node) => node.address), ['front', 'back']);
    await running.stop();
  });
});
