import assert from 'node:assert/strict';
import {
  ChildRunningError,
  DuplicateChildError,
  IntensityExceededError,
  child,
  startTree,
  supervisor,
  type ActorSystem,
  type Supervisor,
} from '../../internal.ts';
import { Counter, counter, recordEvents, settleMany, testSystem } from '../support/fixtures.ts';

describe('children added and removed at runtime (OTP start_child, delete_child)', () => {
  let system: ActorSystem;
  beforeEach(() => ({ system } = testSystem()));
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  it('startChild(spec) adds the child after the others and starts it; it is stopped first on shutdown', async () => {
    const root = startTree(system, supervisor({ children: [child('a', counter)] }), 'sup');
    const events = recordEvents(system, ['started', 'stopped']);
    root.startChild(child('b', counter));
    await system.ref('sup/b', Counter).tell('add', { by: 4 });
    assert.equal(await system.ref('sup/b', Counter).ask('get', {}), 4);
    assert.deepEqual(root.whichChildren(), [
      { id: 'a', address: 'sup/a', kind: 'actor', restart: 'permanent', running: true },
      { id: 'b', address: 'sup/b', kind: 'actor', restart: 'permanent', running: true },
    ]);
    assert.deepEqual(root.countChildren(), { specs: 2, active: 2, supervisors: 0, workers: 2 });
    await root.shutdown('infinity');
    assert.deepEqual(events, ['started sup/b', 'stopped sup/b', 'stopped sup/a', 'stopped sup']);
  });

  it('refuses a duplicate id with DuplicateChildError and leaves the running child alone', async () => {
    const root = startTree(system, supervisor({ children: [child('a', counter)] }), 'sup');
    await system.ref('sup/a', Counter).tell('add', { by: 2 });
    assert.throws(
      () => root.startChild(child('a', counter)),
      (error: unknown) => error instanceof DuplicateChildError && error.code === 'DUPLICATE_CHILD' && error.address === 'sup/a',
    );
    assert.equal(await system.ref('sup/a', Counter).ask('get', {}), 2);
    assert.equal(root.countChildren().specs, 1);
  });

  it('a child added at runtime obeys its restart type: transient comes back after a crash, not after a normal end', async () => {
    const root = startTree(system, supervisor({ children: [] }), 'sup');
    const events = recordEvents(system, ['restarted']);
    root.startChild(child('t', counter, { restart: 'transient' }));
    await system.ref('sup/t', Counter).tell('crash', { reason: 'boom' });
    await settleMany();
    assert.deepEqual(events, ['restarted sup/t']);
    await system.ref('sup/t', Counter).tell('finish', {});
    await settleMany();
    assert.deepEqual(events, ['restarted sup/t']);
    assert.deepEqual(root.countChildren(), { specs: 1, active: 0, supervisors: 0, workers: 1 });
  });

  it('a child added at runtime counts against the intensity: too many crashes and the supervisor fails', async () => {
    const failures: Error[] = [];
    system.on('failed').subscribe((event) => event.address === 'sup' && failures.push(event.error));
    const root = startTree(system, supervisor({ intensity: { maxRestarts: 1, withinMs: 1_000 }, children: [child('a', counter)] }), 'sup');
    root.startChild(child('b', counter));
    for (let i = 0; i < 2; i++) {
      await system.ref('sup/b', Counter).tell('crash', { reason: `crash ${i}` });
      await settleMany();
    }
    assert.equal(failures.length, 1);
    assert.ok(failures[0] instanceof IntensityExceededError);
    assert.equal(root.status().state, 'failed');
    assert.equal(system.lookup('sup/a')?.running, false, 'the supervisor that gave up stopped all its children');
  });

  it('deleteChild refuses a running child (ChildRunningError), and frees the address of a stopped one', async () => {
    const root = startTree(system, supervisor({ children: [child('a', counter)] }), 'sup');
    root.startChild(child('b', counter));
    assert.throws(() => root.deleteChild('b'), (error: unknown) => error instanceof ChildRunningError && error.code === 'CHILD_RUNNING');
    await root.stopChild('b');
    root.deleteChild('b');
    assert.equal(root.childById('b'), undefined);
    assert.equal(system.lookup('sup/b'), undefined);
    assert.deepEqual(root.whichChildren().map((info) => info.id), ['a']);
    // The id is free again: a new child takes it, with a fresh state.
    root.startChild(child('b', counter));
    assert.equal(await system.ref('sup/b', Counter).ask('get', {}), 0);
  });

  it('children added at runtime are dropped when the supervisor itself is restarted, as OTP rebuilds from the specs', async () => {
    const inner = supervisor({ intensity: { maxRestarts: 0, withinMs: 1_000 }, children: [child('w', counter)] });
    const top = startTree(system, supervisor({ children: [child('inner', inner)] }), 'top');
    const innerSupervisor = top.childById('inner') as Supervisor;
    innerSupervisor.startChild(child('extra', counter));
    await system.ref('top/inner/w', Counter).tell('crash', { reason: 'boom' });
    await settleMany(10);
    assert.equal(innerSupervisor.status().state, 'running', 'its parent restarted it');
    assert.deepEqual(innerSupervisor.whichChildren().map((info) => info.id), ['w']);
    assert.equal(system.lookup('top/inner/extra'), undefined);
  });
});
