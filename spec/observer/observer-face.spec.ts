import assert from 'node:assert/strict';
import * as observer from '../../bin/observer/index.ts';

/** bin/observer/index.ts is the observer's face (the bench and embedding hosts use it): its names, pinned. */
describe('the observer face', () => {
  it('exports exactly these names', () => {
    assert.deepEqual(Object.keys(observer).sort(), [
      'ACTION_TIMEOUT_MS', 'BadActionError', 'CSRF_HEADER', 'DEAD_LETTER_POLL_MS', 'MAX_ACTION_BODY_BYTES', 'MAX_KEPT_EVENTS', 'MAX_LISTED_DEAD_LETTERS',
      'MAX_STREAMS', 'NODE_ACTIONS', 'NODE_MEMORY_MS', 'ObservedSystem', 'ObserverAuth', 'ObserverRefusedError', 'ObserverServer', 'POLL_INTERVAL_MS',
      'PUSH_INTERVAL_MS', 'ROLL_CALL_INTERVAL_MS', 'SESSION_COOKIE', 'STATUS_TIMEOUT_MS', 'STREAM_KEEPALIVE_MS', 'TOKEN_COOKIE', 'brokerDeadLetters', 'connectorSource', 'socketOption', 'startObserver',
    ]);
  });
});
