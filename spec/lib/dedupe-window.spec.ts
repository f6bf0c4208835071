import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { DedupeWindow, decodeEnvelope, encodeEnvelope, type Envelope } from '../../internal.ts';

/** A full GC, in a process not started with --expose-gc. */
function collect(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** A frame as the split broker's hops carry them: short strings, one after another, after the id. */
function decoded(i: number): Envelope {
  const body = Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`k${k}`, `value ${k} of message ${i} `.padEnd(24, '.')]));
  return decodeEnvelope(encodeEnvelope({ id: `id-${String(i).padStart(13, '0')}`, to: 'core/matcher', from: 'edge/http', type: 'answer', body, attempt: 0 }));
}

describe('DedupeWindow', () => {
  it('remembers the last `capacity` ids and forgets the oldest first', () => {
    const window = new DedupeWindow(3);
    for (const id of ['a', 'b', 'c']) assert.equal(window.add(id), true);
    assert.equal(window.add('b'), false);
    assert.equal(window.add('d'), true);
    assert.equal(window.has('a'), false);
    assert.deepEqual(['b', 'c', 'd'].map((id) => window.has(id)), [true, true, true]);
    assert.equal(window.size, 3);
  });

  it('matches an id UTF-8 cannot carry (a lone surrogate) as it was given', () => {
    const window = new DedupeWindow(2);
    window.add('x\ud800y');
    assert.equal(window.has('x\ud800y'), true);
    assert.equal(window.add('x\ud800y'), false);
  });

  it('keeps an id decoded from a frame without the rest of the frame (msgpackr hands out slices of one string)', () => {
    const count = 20_000;
    const window = new DedupeWindow(count);
    collect();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < count; i++) window.add(decoded(i).id);
    collect();
    const perId = (process.memoryUsage().heapUsed - before) / count;
    assert.equal(window.size, count);
    // An id of 16 characters in a Set: well under 200 bytes; a slice pins its frame's ~1 KiB of strings.
    assert.ok(perId < 200, `${perId.toFixed(0)} bytes retained per id`);
  });
});
