import assert from 'node:assert/strict';
import { InvalidMessageError, type SystemEvent } from '../../internal.ts';
import { EventLog, MAX_EVENTS_PAGE } from '../../node/index.ts';
import { testSystem } from '../support/fixtures.ts';

/** A node's recent events as the control plane's `events` request answers them (what `airlock observe` shows). */
describe('EventLog: a node\'s recent events for observers', () => {
  const events: [SystemEvent, string][] = [
    [{ kind: 'started', address: 'edge/http', at: 1 }, ''],
    [{ kind: 'failed', address: 'edge/http', at: 2, error: new Error('boom') }, 'boom'],
    [{ kind: 'restarted', address: 'edge/http', at: 3, restarts: 2 }, 'restart #2'],
    [{ kind: 'stopped', address: 'edge/http', at: 4, reason: { kind: 'shutdown' } }, 'shutdown'],
    [{ kind: 'dead-lettered', address: 'edge/http', at: 5, reason: new InvalidMessageError('p', 'bump', ['x']) }, /^INVALID_MESSAGE: /.source],
    [{ kind: 'control-refused', address: 'edge/http', at: 6, request: 'restart', from: 'cli', reason: Object.assign(new Error('bad mac'), { code: 'CONTROL_UNAUTHORIZED' }) }, 'restart from cli: CONTROL_UNAUTHORIZED'],
  ];

  it('keeps the node\'s own events in order, numbered, each with a line of detail and nothing of a message', () => {
    const { system } = testSystem();
    const log = new EventLog(system, 'edge');
    for (const [event] of events) system.emit(event);
    system.emit({ kind: 'started', address: 'core/matcher', at: 7 });
    const kept = log.since().events;
    assert.deepEqual(kept.map((entry) => [entry.seq, entry.kind, entry.address, entry.at]), events.map(([event], index) => [index + 1, event.kind, event.address, event.at]));
    kept.forEach((entry, index) => assert.match(entry.detail, new RegExp(`^${events[index][1] === '' ? '$' : events[index][1]}`)));
    assert.deepEqual(Object.keys(kept[4]).sort(), ['address', 'at', 'detail', 'kind', 'seq']);
    log.close();
  });

  it('answers after a sequence number, a page at a time, and forgets the oldest past its capacity', () => {
    const { system } = testSystem();
    const log = new EventLog(system, 'edge', 5);
    for (let i = 1; i <= 8; i++) system.emit({ kind: 'restarted', address: 'edge/http', at: i, restarts: i });
    assert.deepEqual(log.since().events.map((entry) => entry.seq), [4, 5, 6, 7, 8]);
    assert.deepEqual(log.since(6).events.map((entry) => entry.seq), [7, 8]);
    assert.deepEqual(log.since(8), { events: [] });
    const page = log.since(3, 2);
    assert.deepEqual([page.events.map((entry) => entry.seq), page.next], [[4, 5], 5]);
    assert.equal(MAX_EVENTS_PAGE, 500);
    log.close();
  });

  it('tells one life of a node from the next by its epoch', () => {
    const { system } = testSystem();
    assert.notEqual(new EventLog(system, 'edge').epoch, new EventLog(system, 'edge').epoch);
  });
});
