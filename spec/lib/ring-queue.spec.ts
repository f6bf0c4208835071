import assert from 'node:assert/strict';
import { RingQueue } from '../../lib/ring-queue.ts';

describe('RingQueue', () => {
  it('keeps first-in first-out order when it wraps around and when it grows while wrapped', () => {
    const queue = new RingQueue<number>(1_000);
    const out: number[] = [];
    let next = 0;
    // Pushes outpace shifts, so the head moves on while the buffer doubles from 64 slots to 256.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 5; i++) queue.push(next++);
      for (let i = 0; i < 2; i++) out.push(queue.shift()!);
    }
    assert.equal(queue.length, 150);
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item);
    assert.deepEqual(out, Array.from({ length: 250 }, (_, i) => i));
    assert.equal(queue.length, 0);
    assert.equal(queue.shift(), undefined);
  });

  it('holds exactly maxLength items when that is not a power of two', () => {
    const queue = new RingQueue<number>(100);
    for (let i = 0; i < 100; i++) queue.push(i);
    const out: number[] = [];
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item);
    assert.deepEqual(out, Array.from({ length: 100 }, (_, i) => i));
  });
});
