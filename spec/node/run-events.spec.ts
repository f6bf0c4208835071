import assert from 'node:assert/strict';
import { child, defineTopology, run, supervisor, type SystemEvent } from '../../index.ts';
import { counter } from '../support/fixtures.ts';

describe('run(topology, { onEvent })', () => {
  it('sees the started events of the start itself, which a subscription after run() misses', async () => {
    const topology = defineTopology('shop', {
      front: supervisor({ children: [child('a', counter), child('b', counter)] }),
      back: supervisor({ children: [child('c', counter)] }),
    });
    const seen: SystemEvent[] = [];
    const running = run(topology, { onEvent: (event) => seen.push(event) });
    const late: SystemEvent[] = [];
    running.system.events.subscribe((event) => late.push(event));
    const started = (events: SystemEvent[]): string[] => events.filter((event) => event.kind === 'started').map((event) => event.address);
    assert.deepEqual(started(seen), ['front/a', 'front/b', 'front', 'back/c', 'back']);
    assert.deepEqual(started(late), []);
    await running.stop();
    assert.deepEqual(
      seen.filter((event) => event.kind === 'stopped').map((event) => event.address),
      ['back/c', 'back', 'front/b', 'front/a', 'front'],
    );
  });
});
