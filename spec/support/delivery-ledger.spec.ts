import assert from 'node:assert/strict';
import { DeliveryLedger } from './delivery-ledger.ts';

describe('DeliveryLedger (the link-loss specs\' exactly-once, in-order count)', () => {
  it('names what was lost, handled twice, out of order or never sent, per peer', () => {
    const ledger = new DeliveryLedger();
    for (const id of ['1', '2', '3', '4']) ledger.send('a', id);
    ledger.send('b', 'x');
    assert.deepEqual(['1', '3', '2', '3', 'z'].map((id) => ledger.receive('a', id)), [true, true, true, false, true]);
    ledger.receive('b', 'x');
    assert.deepEqual(ledger.verdict('a'), { missing: ['4'], unexpected: ['z'], redelivered: ['3'], outOfOrder: ['2'] });
    assert.deepEqual(ledger.verdict('b'), { missing: [], unexpected: [], redelivered: [], outOfOrder: [] });
    assert.deepEqual(ledger.handled('a'), ['1', '3', '2', 'z']);
    assert.deepEqual(ledger.peers, ['a', 'b']);
  });
});
