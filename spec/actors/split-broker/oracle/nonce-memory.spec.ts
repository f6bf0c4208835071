import assert from 'node:assert/strict';
import { NonceMemory } from '../../../../actors/split-broker/oracle/index.ts';
import { DEFAULT_NONCE_CAPACITY } from '../../../../actors/split-broker/limits.ts';

/** A distinct 32-hex-character nonce per number, as registrations carry. */
const nonce = (n: number) => n.toString(16).padStart(32, '0');

describe('NonceMemory', () => {
  it('admits a nonce once, then calls it replayed for at least the keep time', () => {
    const memory = new NonceMemory(200, 10); // spans of 100 ms
    assert.equal(memory.admit('a', 0), 'fresh');
    assert.equal(memory.admit('a', 199), 'replayed');
    assert.equal(memory.admit('a', 299), 'replayed'); // its span [0, 100) is kept until 300
    assert.equal(memory.admit('a', 300), 'fresh');
    assert.equal(memory.size, 1);
  });

  it('keeps a nonce that arrived at the end of a span for the keep time, and no longer than keep time + one span', () => {
    const memory = new NonceMemory(200, 10);
    assert.equal(memory.admit('late', 99), 'fresh');
    assert.equal(memory.admit('early', 100), 'fresh');
    assert.equal(memory.admit('late', 299), 'replayed'); // 200 ms after it arrived
    assert.equal(memory.admit('late', 300), 'fresh');
    assert.equal(memory.admit('early', 399), 'replayed'); // 299 ms after it arrived: keep time + one span - 1
    assert.equal(memory.admit('early', 400), 'fresh');
  });

  it('never fills up: past the old capacity of 100,000 it still admits fresh nonces and refuses every replay', () => {
    const memory = new NonceMemory(240_000, DEFAULT_NONCE_CAPACITY);
    for (let n = 0; n < 100_001; n++) assert.equal(memory.admit(nonce(n), n), 'fresh');
    const legitimate = [0, 1, 2, 3, 4].map((n) => memory.admit(nonce(1_000_000 + n), 100_001));
    assert.deepEqual(legitimate, ['fresh', 'fresh', 'fresh', 'fresh', 'fresh']);
    assert.equal(memory.admit(nonce(0), 239_999), 'replayed');
    assert.equal(memory.admit(nonce(100_000), 239_999), 'replayed');
    assert.equal(memory.admit(nonce(1_000_004), 239_999), 'replayed');
    assert.equal(memory.size, 100_006);
  });

  it('is sized for the default bound: 31 bits a nonce, 22 hashes, one in a million false refusals at capacity', () => {
    const span = NonceMemory.spanFilter(DEFAULT_NONCE_CAPACITY);
    assert.equal(DEFAULT_NONCE_CAPACITY, 2_400_000);
    assert.deepEqual([span.bits, span.hashes], [74_500_320, 22]);
    // Three live spans share the one-in-a-million bound; past capacity the rate rises smoothly.
    assert.equal(Number((3 * span.falsePositiveRate(DEFAULT_NONCE_CAPACITY)).toExponential(2)), 1.0e-6);
    assert.equal(Number(span.falsePositiveRate(2 * DEFAULT_NONCE_CAPACITY).toExponential(2)), 2.23e-3);
    assert.equal(Number(span.falsePositiveRate(3 * DEFAULT_NONCE_CAPACITY).toExponential(2)), 6.11e-2);
  });
});
