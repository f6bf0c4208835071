import assert from 'node:assert/strict';
import { seededRandom, VirtualClock, type DedupeClaim, type DurableDedupe, type Envelope } from '../../../internal.ts';
import { ClaimQueue } from '../../../transports/rabbitmq/claim-queue.ts';

interface Item {
  envelope: Envelope;
  stale?: boolean;
}

const item = (id: string): Item => ({ envelope: { id, to: 'a/b', type: 'job', body: {}, attempt: 0 } });
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A store that answers as the spec scripts it: ids in `handled` are duplicates, `down` fails
 * claims, `commitFails` fails the next commits. Everything it did is in `log`.
 */
function scriptedStore(claimsAtOnce?: number) {
  const log: string[] = [];
  const state = { down: false, commitFails: 0, handled: new Set<string>() };
  const store: DurableDedupe = {
    claimsAtOnce,
    async claim(_address, envelope) {
      if (state.down) {
        log.push(`claim ${envelope.id} failed`);
        throw new Error('database away');
      }
      if (state.handled.has(envelope.id)) {
        log.push(`duplicate ${envelope.id}`);
        return undefined;
      }
      log.push(`claim ${envelope.id}`);
      const claim: DedupeClaim = {
        async commit() {
          if (state.commitFails > 0) {
            state.commitFails--;
            log.push(`commit ${envelope.id} failed`);
            throw new Error('commit failed');
          }
          state.handled.add(envelope.id);
          log.push(`commit ${envelope.id}`);
        },
        async release() {
          log.push(`release ${envelope.id}`);
        },
      };
      return claim;
    },
  };
  return { store, log, state };
}

function queueOver(store: DurableDedupe, clock: VirtualClock) {
  const claimed: [Item, DedupeClaim][] = [];
  const acked: string[] = [];
  let unavailable = 0;
  const queue = new ClaimQueue<Item>({
    store,
    address: 'a/b',
    clock,
    random: seededRandom(1),
    backoff: { minMs: 100, maxMs: 1_000, factor: 2, jitter: 0 },
    duplicate: (delivery) => acked.push(`${delivery.envelope.id} (duplicate)`),
    claimed: (delivery, claim) => claimed.push([delivery, claim]),
    unavailable: () => void unavailable++,
    stale: (delivery) => delivery.stale === true,
  });
  /** The actor handles the oldest claimed delivery: its claim is committed, then it is acked. */
  const handleNext = async () => {
    const [delivery, claim] = claimed.shift()!;
    queue.committed(delivery, claim, () => acked.push(delivery.envelope.id));
    await settle();
  };
  return { queue, claimed, acked, handleNext, unavailable: () => unavailable };
}

describe('ClaimQueue: deliveries through a durable dedupe store, one at a time', () => {
  it('claims in order, one at a time: the next only once the one before is committed and acked', async () => {
    const clock = new VirtualClock();
    const { store, log } = scriptedStore();
    const { queue, claimed, acked, handleNext } = queueOver(store, clock);
    for (const id of ['1', '2', '3']) queue.push(item(id));
    await settle();
    assert.deepEqual(claimed.map(([delivery]) => delivery.envelope.id), ['1']);
    await handleNext();
    await handleNext();
    await handleNext();
    assert.deepEqual(acked, ['1', '2', '3']);
    assert.deepEqual(log, ['claim 1', 'commit 1', 'claim 2', 'commit 2', 'claim 3', 'commit 3']);
  });

  it('with claimsAtOnce 2, claims the next while the one before is handled, in order, never more than two held', async () => {
    const clock = new VirtualClock();
    const { store, log } = scriptedStore(2);
    const { queue, claimed, acked, handleNext } = queueOver(store, clock);
    for (const id of ['1', '2', '3', '4']) queue.push(item(id));
    await settle();
    assert.deepEqual(claimed.map(([delivery]) => delivery.envelope.id), ['1', '2']);
    await handleNext();
    assert.deepEqual(claimed.map(([delivery]) => delivery.envelope.id), ['2', '3']);
    await handleNext();
    await handleNext();
    await handleNext();
    assert.deepEqual(acked, ['1', '2', '3', '4']);
    assert.deepEqual(log, ['claim 1', 'claim 2', 'commit 1', 'claim 3', 'commit 2', 'claim 4', 'commit 3', 'commit 4']);
  });

  it('acks a duplicate without handing it over, and goes on', async () => {
    const clock = new VirtualClock();
    const { store, state } = scriptedStore();
    state.handled.add('1');
    const { queue, claimed, acked } = queueOver(store, clock);
    queue.push(item('1'));
    queue.push(item('2'));
    await settle();
    assert.deepEqual(acked, ['1 (duplicate)']);
    assert.deepEqual(claimed.map(([delivery]) => delivery.envelope.id), ['2']);
  });

  const outages: { name: string; fail: (state: ReturnType<typeof scriptedStore>['state']) => void; expected: string[] }[] = [
    {
      name: 'a claim the store cannot make',
      fail: (state) => void (state.down = true),
      expected: ['claim 1 failed', 'claim 1 failed', 'claim 1', 'commit 1', 'claim 2', 'commit 2'],
    },
    {
      name: 'a commit that fails (claimed again: found new, handled again)',
      fail: (state) => void (state.commitFails = 1),
      expected: ['claim 1', 'commit 1 failed', 'claim 1', 'commit 1', 'claim 2', 'commit 2'],
    },
  ];
  for (const { name, fail, expected } of outages) {
    it(`keeps the delivery first in line, unacked, and claims it again after the backoff: ${name}`, async () => {
      const clock = new VirtualClock();
      const { store, log, state } = scriptedStore();
      const { queue, claimed, acked, handleNext, unavailable } = queueOver(store, clock);
      fail(state);
      queue.push(item('1'));
      queue.push(item('2'));
      await settle();
      if (claimed.length > 0) await handleNext(); // the commit fails
      assert.deepEqual(acked, []);
      await clock.advance(99);
      await settle();
      assert.equal(unavailable(), 1, 'nothing retried before the backoff');
      await clock.advance(1);
      await settle();
      if (state.down) {
        // Still down: the next delay doubles (200 ms).
        await clock.advance(199);
        await settle();
        assert.equal(unavailable(), 2);
        state.down = false;
        await clock.advance(1);
        await settle();
      }
      await handleNext();
      await handleNext();
      assert.deepEqual(acked, ['1', '2']);
      assert.deepEqual(log, expected);
    });
  }

  it('drops deliveries gone stale (their channel closed: the broker hands them out again)', async () => {
    const clock = new VirtualClock();
    const { store, log } = scriptedStore();
    const { queue, claimed } = queueOver(store, clock);
    const first = item('1');
    const second = item('2');
    queue.push(first);
    queue.push(second);
    await settle();
    second.stale = true;
    queue.released(claimed.shift()![1]);
    await settle();
    assert.deepEqual(log, ['claim 1', 'release 1']);
    assert.equal(claimed.length, 0);
  });

  it('a released delivery given back goes first again (an abandoned handling, retried here)', async () => {
    const clock = new VirtualClock();
    const { store, log } = scriptedStore();
    const { queue, claimed, handleNext } = queueOver(store, clock);
    queue.push(item('1'));
    queue.push(item('2'));
    await settle();
    const [delivery, claim] = claimed.shift()!;
    queue.released(claim, delivery);
    await settle();
    await handleNext();
    assert.deepEqual(log, ['claim 1', 'release 1', 'claim 1', 'commit 1', 'claim 2']);
  });

  it('once closed, cancels its retry and claims nothing more', async () => {
    const clock = new VirtualClock();
    const { store, log, state } = scriptedStore();
    const { queue } = queueOver(store, clock);
    state.down = true;
    queue.push(item('1'));
    await settle();
    assert.equal(clock.pending, 1);
    queue.close();
    assert.equal(clock.pending, 0);
    queue.push(item('2'));
    await settle();
    assert.deepEqual(log, ['claim 1 failed']);
  });
});
