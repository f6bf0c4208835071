import assert from 'node:assert/strict';
import { z } from 'zod';
import { IntensityExceededError, child, defineActor, defineProtocol, startTree, supervisor, type ActorSystem, type Restart } from '../../internal.ts';
import { Counter, counter, recordEvents, settleMany, testSystem } from '../support/fixtures.ts';

/** An actor that spawns counters on request, supervised with the restart type asked for. */
const Spawner = defineProtocol('spawner', {
  spawn: { body: z.object({ id: z.string(), restart: z.enum(['permanent', 'transient', 'temporary']).optional() }) },
});
const spawner = defineActor({
  protocol: Spawner,
  setup: (ctx) => ({ spawn: ({ id, restart }) => void ctx.spawn(id, counter, restart ? { restart: restart as Restart } : {}) }),
});

describe('children spawned from a context, supervised by the actor that spawned them', () => {
  let system: ActorSystem;
  beforeEach(() => ({ system } = testSystem()));
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  it('restarts a permanent spawned child after a crash (one_for_one); status shows it under its parent', async () => {
    startTree(system, supervisor({ children: [child('pool', spawner)] }), 'sup');
    await system.ref('sup/pool', Spawner).tell('spawn', { id: 'a', restart: 'permanent' });
    await system.ref('sup/pool', Spawner).tell('spawn', { id: 'b', restart: 'permanent' });
    await settleMany();
    await system.ref('sup/pool/b', Counter).tell('add', { by: 2 });
    const events = recordEvents(system, ['restarted', 'failed']);
    await system.ref('sup/pool/a', Counter).tell('crash', { reason: 'boom' });
    await settleMany();
    assert.deepEqual(events, ['failed sup/pool/a', 'restarted sup/pool/a']);
    assert.equal(await system.ref('sup/pool/b', Counter).ask('get', {}), 2, 'its sibling is untouched');
    const pool = system.status()[0].children?.[0];
    assert.deepEqual(pool?.children?.map((status) => [status.address, status.state, status.restarts]), [
      ['sup/pool/a', 'running', 1],
      ['sup/pool/b', 'running', 0],
    ]);
  });

  it('without a restart type (or temporary, or transient after a normal end) a spawned child is removed when it ends', async () => {
    startTree(system, supervisor({ children: [child('pool', spawner)] }), 'sup');
    await system.ref('sup/pool', Spawner).tell('spawn', { id: 'plain' });
    await system.ref('sup/pool', Spawner).tell('spawn', { id: 't', restart: 'transient' });
    await settleMany();
    await system.ref('sup/pool/plain', Counter).tell('crash', { reason: 'boom' });
    await system.ref('sup/pool/t', Counter).tell('finish', {});
    await settleMany();
    assert.equal(system.lookup('sup/pool/plain'), undefined);
    assert.equal(system.lookup('sup/pool/t'), undefined);
    assert.equal(system.status()[0].children?.[0].children, undefined);
  });

  it('more than 3 restarts in 5 s crash the spawning actor with IntensityExceededError; its supervisor restarts it', async () => {
    startTree(system, supervisor({ children: [child('pool', spawner)] }), 'sup');
    const failures: Error[] = [];
    system.on('failed').subscribe((event) => event.address === 'sup/pool' && failures.push(event.error));
    const events = recordEvents(system, ['restarted']);
    await system.ref('sup/pool', Spawner).tell('spawn', { id: 'a', restart: 'permanent' });
    await settleMany();
    for (let i = 0; i < 4; i++) {
      await system.ref('sup/pool/a', Counter).tell('crash', { reason: `crash ${i}` });
      await settleMany();
    }
    assert.equal(failures.length, 1);
    assert.ok(failures[0] instanceof IntensityExceededError);
    assert.equal((failures[0] as IntensityExceededError).address, 'sup/pool');
    assert.deepEqual(events, ['restarted sup/pool/a', 'restarted sup/pool/a', 'restarted sup/pool/a', 'restarted sup/pool']);
    assert.equal(system.lookup('sup/pool/a'), undefined, 'the new incarnation starts without the old one\'s children');
  });
});
