import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  ActorStoppedError,
  actorChannel,
  ControlClient,
  IntensityExceededError,
  InvalidSpecError,
  TooManyChildrenError,
  child,
  defineActor,
  defineProtocol,
  defineTopology,
  dynamicSupervisor,
  run,
  startTree,
  supervisor,
  type ActorSystem,
  type Supervisor,
  type VirtualClock,
} from '../../internal.ts';
import { Counter, counter, recordEvents, settle, settleMany, testSystem } from '../support/fixtures.ts';

describe('dynamic supervisor (OTP simple_one_for_one)', () => {
  let system: ActorSystem;
  let clock: VirtualClock;
  beforeEach(() => ({ system, clock } = testSystem()));
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  function peers(options: Partial<Parameters<typeof dynamicSupervisor>[0]> = {}): Supervisor {
    const top = startTree(system, supervisor({ children: [child('peers', dynamicSupervisor({ child: counter, ...options })), child('other', counter)] }), 'node');
    return top.childById('peers') as Supervisor;
  }

  it('starts with no child; startChild(id) starts one from the template at <address>/<id>', async () => {
    const dynamic = peers();
    assert.equal(dynamic.countChildren().specs, 0);
    dynamic.startChild('p1');
    dynamic.startChild('p2');
    await system.ref('node/peers/p2', Counter).tell('add', { by: 3 });
    assert.equal(await system.ref('node/peers/p2', Counter).ask('get', {}), 3);
    assert.deepEqual(dynamic.whichChildren().map((info) => [info.address, info.restart, info.running]), [
      ['node/peers/p1', 'permanent', true],
      ['node/peers/p2', 'permanent', true],
    ]);
  });

  it('restarts a crashed child one_for_one: its siblings keep their state', async () => {
    const dynamic = peers();
    dynamic.startChild('p1');
    dynamic.startChild('p2');
    await system.ref('node/peers/p1', Counter).tell('add', { by: 5 });
    const events = recordEvents(system, ['restarted']);
    await system.ref('node/peers/p2', Counter).tell('crash', { reason: 'boom' });
    await settleMany();
    assert.deepEqual(events, ['restarted node/peers/p2']);
    assert.equal(await system.ref('node/peers/p1', Counter).ask('get', {}), 5);
  });

  it('counts restarts against its intensity; exceeded, it fails to its parent, which restarts it without children', async () => {
    const dynamic = peers({ intensity: { maxRestarts: 1, withinMs: 1_000 } });
    dynamic.startChild('p1');
    dynamic.startChild('p2');
    const failures: Error[] = [];
    system.on('failed').subscribe((event) => event.address === 'node/peers' && failures.push(event.error));
    const events = recordEvents(system, ['restarted']);
    await system.ref('node/other', Counter).tell('add', { by: 9 });
    await system.ref('node/peers/p1', Counter).tell('crash', { reason: 'one' });
    await settleMany();
    await system.ref('node/peers/p2', Counter).tell('crash', { reason: 'two' });
    await settleMany(10);
    assert.equal(failures.length, 1);
    assert.ok(failures[0] instanceof IntensityExceededError);
    assert.deepEqual(events, ['restarted node/peers/p1', 'restarted node/peers']);
    assert.equal(dynamic.countChildren().specs, 0, 'a restarted dynamic supervisor starts empty, as in OTP');
    assert.equal(system.lookup('node/peers/p1'), undefined);
    assert.equal(await system.ref('node/other', Counter).ask('get', {}), 9, 'its sibling is untouched (one_for_one)');
  });

  it('removes a child that ends for good (transient after a normal end, temporary after any end)', async () => {
    const dynamic = peers({ restart: 'transient' });
    dynamic.startChild('p1');
    dynamic.startChild('p2');
    await system.ref('node/peers/p1', Counter).tell('finish', {});
    await settleMany();
    assert.deepEqual(dynamic.whichChildren().map((info) => info.id), ['p2']);
    await assert.rejects(system.ref('node/peers/p1', Counter).ask('get', {}), (error: unknown) => (error as { code?: string }).code === 'UNKNOWN_ADDRESS');
  });

  it('stops its children concurrently on shutdown, each within its own shutdown time', async () => {
    const Slow = defineProtocol('slow', { work: { body: z.object({}) } });
    const slow = defineActor({ protocol: Slow, setup: () => ({ work: () => new Promise<void>(() => {}) }) });
    const root = startTree(system, dynamicSupervisor({ child: slow, shutdown: 500 }), 'pool');
    for (const id of ['a', 'b', 'c']) {
      root.startChild(id);
      await system.ref(`pool/${id}`, Slow).tell('work', {});
    }
    await settle();
    let done = false;
    const stopping = root.shutdown('infinity').then(() => (done = true));
    await clock.advance(500);
    await settleMany();
    assert.equal(done, true, 'three children that each take their full 500 ms shutdown are stopped in 500 ms, not 1500');
    await stopping;
    assert.deepEqual(root.countChildren(), { specs: 3, active: 0, supervisors: 0, workers: 3 });
  });

  it('leaves a running child as it is; refuses a child beyond maxChildren, a bad id and a spec of its own', () => {
    const dynamic = peers({ maxChildren: 2 });
    dynamic.startChild('p1');
    assert.doesNotThrow(() => dynamic.startChild('p1'), 'starting a running child again leaves it as it is');
    dynamic.startChild('p2');
    assert.throws(() => dynamic.startChild('p3'), (error: unknown) => error instanceof TooManyChildrenError && error.maxChildren === 2);
    assert.throws(() => dynamic.startChild(child('p4', counter)), InvalidSpecError);
    assert.throws(() => dynamic.startChild('bad/id'), (error: unknown) => error instanceof InvalidSpecError && error.code === 'INVALID_SPEC');
    assert.equal(dynamic.countChildren().specs, 2);
  });

  it('is reachable from a running topology, and status lists its children like any other (control plane)', async () => {
    const topology = defineTopology('dyn', { edge: supervisor({ children: [child('peers', dynamicSupervisor({ child: counter, restart: 'transient' }))] }) });
    const running = run(topology, { control: true });
    try {
      running.supervisor('edge/peers').startChild('alice');
      const status = await new ControlClient(actorChannel(running.system, 'edge')).status();
      assert.deepEqual(status.tree, [
        {
          address: 'edge',
          kind: 'supervisor',
          state: 'running',
          restarts: 0,
          strategy: 'one_for_one',
          children: [
            {
              address: 'edge/peers',
              kind: 'supervisor',
              state: 'running',
              restarts: 0,
              strategy: 'dynamic',
              children: [{ address: 'edge/peers/alice', kind: 'actor', state: 'running', restarts: 0, mailboxDepth: 0, handled: 0, failed: 0 }],
            },
          ],
        },
      ]);
      // An operator's stop keeps a dynamic child down until start, as for any child.
      await running.stopChild('edge/peers/alice');
      await assert.rejects(running.ref('edge/peers/alice', Counter).ask('get', {}), ActorStoppedError);
      running.startChild('edge/peers/alice');
      assert.equal(await running.ref('edge/peers/alice', Counter).ask('get', {}), 0);
    } finally {
      await running.stop();
    }
  });
});
