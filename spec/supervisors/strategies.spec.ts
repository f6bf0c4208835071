import assert from 'node:assert/strict';
import { child, startTree, supervisor, type ActorSystem, type Strategy } from '../../internal.ts';
import { Counter, counter, recordEvents, settleMany, testSystem } from '../support/fixtures.ts';

/** Three counters a, b, c under one supervisor; b crashes. */
async function crashMiddleChild(strategy: Strategy): Promise<{ events: string[]; system: ActorSystem }> {
  const { system } = testSystem();
  startTree(system, supervisor({ strategy, children: ['a', 'b', 'c'].map((id) => child(id, counter)) }), 'sup');
  for (const id of ['a', 'b', 'c']) await system.ref(`sup/${id}`, Counter).tell('add', { by: 1 });
  const events = recordEvents(system);
  await system.ref('sup/b', Counter).tell('crash', { reason: 'boom' });
  await settleMany(10);
  return { events, system };
}

async function totals(system: ActorSystem): Promise<number[]> {
  return Promise.all(['a', 'b', 'c'].map((id) => system.ref(`sup/${id}`, Counter).ask('get', {})));
}

describe('restart strategies (OTP order: stop the others in reverse, start all in order)', () => {
  it('one_for_one restarts only the child that failed', async () => {
    const { events, system } = await crashMiddleChild('one_for_one');
    assert.deepEqual(events, ['failed sup/b', 'stopped sup/b', 'started sup/b', 'restarted sup/b']);
    assert.deepEqual(await totals(system), [1, 0, 1]);
    await system.stop();
  });

  it('one_for_all stops the survivors in reverse start order, then restarts all in start order', async () => {
    const { events, system } = await crashMiddleChild('one_for_all');
    assert.deepEqual(events, [
      'failed sup/b',
      'stopped sup/b',
      'stopped sup/c',
      'stopped sup/a',
      'started sup/a',
      'restarted sup/a',
      'started sup/b',
      'restarted sup/b',
      'started sup/c',
      'restarted sup/c',
    ]);
    assert.deepEqual(await totals(system), [0, 0, 0]);
    await system.stop();
  });

  it('rest_for_one restarts the failed child and those started after it, not those before', async () => {
    const { events, system } = await crashMiddleChild('rest_for_one');
    assert.deepEqual(events, [
      'failed sup/b',
      'stopped sup/b',
      'stopped sup/c',
      'started sup/b',
      'restarted sup/b',
      'started sup/c',
      'restarted sup/c',
    ]);
    assert.deepEqual(await totals(system), [1, 0, 0]);
    await system.stop();
  });

  it('one_for_all restarts everyone once when two children crash together (restarts run one at a time)', async () => {
    const { system } = testSystem();
    startTree(system, supervisor({ strategy: 'one_for_all', children: ['a', 'b', 'c'].map((id) => child(id, counter)) }), 'sup');
    const events = recordEvents(system, ['restarted']);
    void system.ref('sup/a', Counter).tell('crash', { reason: 'first' });
    void system.ref('sup/b', Counter).tell('crash', { reason: 'second' });
    await settleMany(10);
    assert.deepEqual(events, ['restarted sup/a', 'restarted sup/b', 'restarted sup/c']);
    assert.deepEqual(await totals(system), [0, 0, 0]);
    await system.stop();
  });

  it('starts children in order and stops them in reverse order, nested trees included', async () => {
    const { system } = testSystem();
    const events = recordEvents(system, ['started', 'stopped']);
    startTree(
      system,
      supervisor({
        children: [child('a', counter), child('inner', supervisor({ children: [child('x', counter), child('y', counter)] })), child('c', counter)],
      }),
      'root',
    );
    await system.stop();
    assert.deepEqual(events, [
      'started root/a',
      'started root/inner/x',
      'started root/inner/y',
      'started root/inner',
      'started root/c',
      'started root',
      'stopped root/c',
      'stopped root/inner/y',
      'stopped root/inner/x',
      'stopped root/inner',
      'stopped root/a',
      'stopped root',
    ]);
  });
});
