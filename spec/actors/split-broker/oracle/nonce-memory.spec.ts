import assert from 'node:assert/strict';
import { NonceMemory } from '../../../../actors/split-broker/oracle/index.ts';

describe('NonceMemory', () => {
  it('admits a nonce once, then calls it replayed until it expires', () => {
    const memory = new NonceMemory(100, 10);
    assert.equal(memory.admit('a', 0), 'fresh');
    assert.equal(memory.admit('a', 99), 'replayed');
    assert.equal(memory.admit('a', 100), 'fresh');
    assert.equal(memory.size, 1);
  });

  it('says replayed before full, and full adds nothing', () => {
    const memory = new NonceMemory(100, 2);
    assert.equal(memory.admit('a', 0), 'fresh');
    assert.equal(memory.admit('b', 10), 'fresh');
    assert.equal(memory.admit('a', 20), 'replayed');
    assert.equal(memory.admit('c', 20), 'full');
    assert.equal(memory.admit('c', 30), 'full');
    assert.equal(memory.size, 2);
  });

  it('forgets each nonce at its own expiry, front first, after a partial prune', () => {
    const memory = new NonceMemory(100, 2);
    memory.admit('a', 0);
    memory.admit('b', 50);
    assert.equal(memory.admit('c', 100), 'fresh'); // a expired: room for c
    assert.equal(memory.admit('b', 149), 'replayed');
    assert.equal(memory.admit('d', 149), 'full');
    assert.equal(memory.admit('b', 150), 'fresh'); // b expired at 150, re-admitted
    assert.equal(memory.admit('c', 199), 'replayed');
    assert.equal(memory.admit('e', 250), 'fresh'); // b and c both gone by then
    assert.equal(memory.size, 1);
  });

  it('keeps has and remember in step with admit', () => {
    const memory = new NonceMemory(100, 1);
    assert.equal(memory.remember('a', 0), true);
    assert.equal(memory.has('a', 99), true);
    assert.equal(memory.admit('a', 99), 'replayed');
    assert.equal(memory.remember('b', 99), false);
    assert.equal(memory.has('a', 100), false);
    assert.equal(memory.admit('b', 100), 'fresh');
  });
});
