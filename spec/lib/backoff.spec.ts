import assert from 'node:assert/strict';
import { backoffDelay, seededRandom, VirtualClock, type BackoffOptions, type Random } from '../../internal.ts';
import { ConnectionManager } from '../../transports/rabbitmq/connection-manager.ts';
import { resolveOptions } from '../../transports/rabbitmq/options.ts';
import { waitFor } from '../transports/rabbitmq/children.ts';

/** A Random port whose every draw is `value`, to pin jitter to an end of its range. */
const always = (value: number): Random => ({ next: () => value, int: (max) => Math.floor(value * max), id: () => 'id' });

const OPTIONS: BackoffOptions = { minMs: 100, maxMs: 1_000, factor: 2, jitter: 0.2 };

describe('backoffDelay: the one backoff of supervisor restarts and broker reconnects', () => {
  it('grows by factor from minMs and stops at maxMs', () => {
    const still = always(0.5); // jitter's midpoint: no spread
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(OPTIONS, attempt, still)), [100, 200, 400, 800, 1_000, 1_000]);
  });

  it('spreads each delay by at most ±jitter, from the Random port', () => {
    assert.equal(backoffDelay(OPTIONS, 3, always(0)), 320);
    assert.equal(backoffDelay(OPTIONS, 3, always(0.999999)), 480);
    assert.equal(backoffDelay(OPTIONS, 9, always(0.999999)), 1_200);
    const random = seededRandom(7);
    for (let n = 0; n < 1_000; n++) {
      const delay = backoffDelay(OPTIONS, 2, random);
      assert.ok(delay >= 160 && delay <= 240, `${delay} outside 200 ms ± 20 %`);
    }
  });

  it('is 0 every time when minMs is 0 (restart at once)', () => {
    assert.deepEqual([1, 5].map((attempt) => backoffDelay({ ...OPTIONS, minMs: 0 }, attempt, always(0.9))), [0, 0]);
  });

  it('schedules the RabbitMQ reconnects: the first retry after minMs, growing to maxMs', async () => {
    const clock = new VirtualClock();
    const reconnect = { minMs: 50, maxMs: 150, factor: 2, jitter: 0 };
    // Nothing listens on port 1: every connect is refused at once, and a retry is scheduled.
    const manager = new ConnectionManager(resolveOptions({ url: 'amqp://guest:guest@127.0.0.1:1', namespace: 'backoff', reconnect, clock, random: always(0.5) }));
    const delays: number[] = [];
    manager.events.subscribe((event) => event.kind === 'reconnect-scheduled' && delays.push(event.delayMs));
    try {
      for (let retries = 1; retries <= 4; retries++) {
        await waitFor(`reconnect ${retries} scheduled`, () => delays.length === retries, 5_000);
        clock.fireNext();
      }
      assert.deepEqual(delays, [1, 2, 3, 4].map((attempt) => backoffDelay(reconnect, attempt, always(0.5))));
      assert.deepEqual(delays, [50, 100, 150, 150]);
    } finally {
      await manager.close();
    }
  });
});
