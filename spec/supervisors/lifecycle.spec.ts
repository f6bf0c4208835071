import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  ActorStoppedError,
  IntensityExceededError,
  ShutdownTimeoutError,
  child,
  defineActor,
  defineProtocol,
  startTree,
  supervisor,
  type ActorSystem,
  type Restart,
  type VirtualClock,
} from '../../internal.ts';
import { Counter, counter, recordEvents, settle, settleMany, testSystem } from '../support/fixtures.ts';

describe('supervision lifecycle', () => {
  let system: ActorSystem;
  let clock: VirtualClock;
  beforeEach(() => ({ system, clock } = testSystem()));
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  describe('restart types after normal and abnormal exits', () => {
    const cases: [Restart, 'finish' | 'crash', boolean][] = [
      ['permanent', 'finish', true],
      ['permanent', 'crash', true],
      ['transient', 'finish', false],
      ['transient', 'crash', true],
      ['temporary', 'finish', false],
      ['temporary', 'crash', false],
    ];
    for (const [restart, exit, restarted] of cases) {
      it(`${restart} child after a ${exit === 'finish' ? 'normal' : 'abnormal'} exit is ${restarted ? '' : 'not '}restarted`, async () => {
        const events = recordEvents(system, ['restarted']);
        const root = startTree(system, supervisor({ children: [child('w', counter, { restart })] }), 'sup');
        await system.ref('sup/w', Counter).tell(exit, exit === 'crash' ? { reason: 'boom' } : ({} as never));
        await settleMany();
        assert.deepEqual(events, restarted ? ['restarted sup/w'] : []);
        assert.equal(system.lookup('sup/w')?.running ?? false, restarted);
        // A temporary child is forgotten; a transient one stays in the tree, stopped.
        assert.equal(root.childById('w') !== undefined, restart !== 'temporary');
      });
    }
  });

  it('fails asks at once with ActorStoppedError to an actor its supervisor leaves down', async () => {
    const root = startTree(system, supervisor({ children: [child('w', counter, { restart: 'transient' }), child('op', counter)] }), 'sup');
    await system.ref('sup/w', Counter).tell('finish', {});
    await settleMany();
    await assert.rejects(system.ref('sup/w', Counter).ask('get', {}), (error: unknown) => error instanceof ActorStoppedError && error.address === 'sup/w');
    await root.stopChild('op');
    await assert.rejects(system.ref('sup/op', Counter).ask('get', {}), ActorStoppedError);
    root.startChild('op');
    assert.equal(await system.ref('sup/op', Counter).ask('get', {}), 0);
  });

  it('escalates to the parent when a child restarts more than maxRestarts within withinMs', async () => {
    const events = recordEvents(system, ['failed', 'restarted']);
    const inner = supervisor({ intensity: { maxRestarts: 2, withinMs: 1_000 }, children: [child('w', counter)] });
    startTree(system, supervisor({ intensity: { maxRestarts: 5, withinMs: 1_000 }, children: [child('inner', inner), child('peer', counter)] }), 'top');
    const worker = system.ref('top/inner/w', Counter);
    const peer = system.ref('top/peer', Counter);
    await peer.tell('add', { by: 7 });
    for (let i = 0; i < 3; i++) {
      await worker.tell('crash', { reason: `crash ${i}` });
      await settleMany();
      await clock.advance(10);
    }
    assert.deepEqual(events, [
      'failed top/inner/w',
      'restarted top/inner/w',
      'failed top/inner/w',
      'restarted top/inner/w',
      'failed top/inner/w',
      'failed top/inner', // third restart in 1 s: the inner supervisor gives up ...
      'restarted top/inner', // ... and its parent starts it afresh, children and all
    ]);
    assert.equal(await worker.ask('get', {}), 0);
    assert.equal(await peer.ask('get', {}), 7, 'the sibling of the failed supervisor keeps its state (one_for_one)');
  });

  it('forgets restarts older than the intensity window', async () => {
    const events = recordEvents(system, ['failed']);
    startTree(system, supervisor({ intensity: { maxRestarts: 1, withinMs: 1_000 }, children: [child('w', counter)] }), 'sup');
    for (let i = 0; i < 4; i++) {
      await system.ref('sup/w', Counter).tell('crash', { reason: 'boom' });
      await settleMany();
      await clock.advance(1_000);
    }
    assert.deepEqual(events, Array(4).fill('failed sup/w'), 'one restart per second never exceeds 1 per 1000 ms');
  });

  it('reports the intensity failure of a root supervisor as IntensityExceededError', async () => {
    const failures: Error[] = [];
    system.on('failed').subscribe((event) => event.address === 'sup' && failures.push(event.error));
    startTree(system, supervisor({ intensity: { maxRestarts: 0, withinMs: 1_000 }, children: [child('w', counter)] }), 'sup');
    await system.ref('sup/w', Counter).tell('crash', { reason: 'boom' });
    await settleMany();
    assert.equal(failures.length, 1);
    assert.ok(failures[0] instanceof IntensityExceededError);
    assert.equal(system.status()[0].state, 'failed');
  });

  it('waits out the restart backoff on the clock, with seeded jitter inside its bounds', async () => {
    const restartedAt: number[] = [];
    system.on('restarted').subscribe((event) => restartedAt.push(event.at));
    startTree(
      system,
      supervisor({ intensity: { maxRestarts: 10, withinMs: 60_000 }, backoff: { minMs: 100, maxMs: 1_000, factor: 2, jitter: 0.2 }, children: [child('w', counter)] }),
      'sup',
    );
    const crashedAt: number[] = [];
    for (let i = 0; i < 3; i++) {
      crashedAt.push(clock.now());
      await system.ref('sup/w', Counter).tell('crash', { reason: 'boom' });
      await settleMany();
      await clock.advance(2_000);
    }
    const delays = restartedAt.map((at, i) => at - crashedAt[i]);
    [100, 200, 400].forEach((base, i) => assert.ok(delays[i] >= base * 0.8 && delays[i] <= base * 1.2, `delay ${delays[i]} ~ ${base}`));
  });

  it('restarts a second child that crashes while the first waits out its backoff', async () => {
    const restarted: string[] = [];
    system.on('restarted').subscribe((event) => restarted.push(`${event.at} ${event.address}`));
    startTree(
      system,
      supervisor({ backoff: { minMs: 100, maxMs: 100, factor: 1, jitter: 0 }, children: [child('a', counter), child('b', counter)] }),
      'sup',
    );
    await system.ref('sup/a', Counter).tell('crash', { reason: 'boom' });
    await settleMany();
    await clock.advance(50);
    await system.ref('sup/b', Counter).tell('crash', { reason: 'boom' });
    await settleMany();
    await clock.advance(200);
    assert.deepEqual(restarted, ['100 sup/a', '150 sup/b']);
  });

  it('kills a child that does not stop within its shutdown timeout, and dead-letters its message', async () => {
    const Slow = defineProtocol('slow', { work: { body: z.object({}) } });
    const slow = defineActor({ protocol: Slow, setup: () => ({ work: () => new Promise<void>(() => {}) }) });
    const stopped: string[] = [];
    system.on('stopped').subscribe((event) => stopped.push(`${event.address} ${event.reason.kind}`));
    const dead: Error[] = [];
    system.on('dead-lettered').subscribe((event) => dead.push(event.reason));
    const root = startTree(system, supervisor({ children: [child('slow', slow, { shutdown: 500 })] }), 'sup');
    await system.ref('sup/slow', Slow).tell('work', {});
    await settle();
    let done = false;
    const stopping = root.shutdown('infinity').then(() => (done = true));
    await clock.advance(499);
    assert.equal(done, false, 'still waiting for the child');
    await clock.advance(1);
    await stopping;
    assert.deepEqual(stopped, ['sup/slow killed', 'sup shutdown']);
    assert.equal(dead.length, 1);
    assert.ok((dead[0].cause as Error) instanceof ShutdownTimeoutError);
  });

  it('lets a child finish its message within the shutdown timeout (graceful)', async () => {
    const Slow = defineProtocol('slow', { work: { body: z.object({}) }, count: { body: z.object({}), reply: z.number() } });
    let finished = 0;
    const slow = defineActor({
      protocol: Slow,
      setup: (ctx) => ({
        work: () => new Promise<void>((resolve) => ctx.clock.setTimer(300, () => resolve(void finished++))),
        count: () => finished,
      }),
    });
    const stopped: string[] = [];
    system.on('stopped').subscribe((event) => stopped.push(`${event.address} ${event.reason.kind}`));
    const root = startTree(system, supervisor({ children: [child('slow', slow, { shutdown: 500 })] }), 'sup');
    await system.ref('sup/slow', Slow).tell('work', {});
    await settle();
    const stopping = root.shutdown('infinity');
    await clock.advance(300);
    await stopping;
    assert.equal(finished, 1);
    assert.deepEqual(stopped, ['sup/slow shutdown', 'sup shutdown']);
  });
});
