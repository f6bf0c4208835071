import assert from 'node:assert/strict';
import { VirtualClock } from '../../../lib/ports/virtual-clock.ts';
import { BucketRules, DEFAULT_BUCKET_LIMITS, type BucketLimits, type Placement } from '../../../actors/rendezvous/server/bucket-rules.ts';
import { bucketHash } from '../../../actors/rendezvous/wire/index.ts';

const LINK = Buffer.alloc(240, 1);
const START = 1_764_000_000_000;

describe('rendezvous BucketRules (bucket and admission rules, virtual clock)', () => {
  let clock: VirtualClock;
  const rules = (limits: Partial<BucketLimits> = {}) => new BucketRules(clock, { ...DEFAULT_BUCKET_LIMITS, ...limits });
  beforeEach(() => (clock = new VirtualClock({ start: START })));

  /** Places and adds `n` links; returns each placement as `seconds.sequence/slot`. */
  const store = (r: BucketRules, n: number): string[] =>
    Array.from({ length: n }, () => {
      const placed = r.place();
      if (placed === 'BUSY') return 'BUSY';
      r.added(placed);
      return `${placed.id.seconds - START / 1000}.${placed.id.sequence}/${placed.slot}`;
    });

  // [what, limits, steps: a number stores that many, a string advances the clock by that many ms, 'taken' closes the bucket; expected placements of the last step]
  type Step = number | `+${number}` | 'taken';
  const rows: [string, Partial<BucketLimits>, Step[], string[]][] = [
    ['the first link opens bucket 0 of this second', {}, [1], ['0.0/0']],
    ['links fill slots in order', {}, [3], ['0.0/0', '0.0/1', '0.0/2']],
    ['the 65th link opens a new bucket, sequence 1 in the same second', {}, [64, 2], ['0.1/0', '0.1/1']],
    ['a full bucket in the next second opens sequence 0 of that second', {}, [64, '+1000', 1], ['1.0/0']],
    ['a bucket older than openMs closes even if not full', { openMs: 60_000 }, [5, '+60000', 1], ['60.0/0']],
    ['a bucket younger than openMs keeps taking links', { openMs: 60_000 }, [5, '+59999', 1], ['0.0/5']],
    ['past maxPerSecond buckets in one second: BUSY', { maxLinks: 1, maxPerSecond: 3 }, [3, 1], ['BUSY']],
    ['and the next second opens again', { maxLinks: 1, maxPerSecond: 3 }, [3, '+1000', 1], ['1.0/0']],
    ['a slot the store already held (an earlier incarnation) closes the bucket: the next is sequence 1', {}, [2, 'taken', 1], ['0.1/0']],
  ];
  for (const [what, limits, steps, expected] of rows) {
    it(what, async () => {
      const r = rules(limits);
      let last: string[] = [];
      for (const step of steps) {
        if (typeof step === 'number') last = store(r, step);
        else if (step === 'taken') r.taken(r.place() as Placement);
        else await clock.advance(Number(step.slice(1)));
      }
      assert.deepEqual(last, expected);
    });
  }

  it('a placement carries the hash of its id and expires ttlMs after the bucket opened', async () => {
    const r = rules({ ttlMs: 3_600_000 });
    const first = r.place() as Placement;
    r.added(first);
    await clock.advance(30_000);
    const second = r.place() as Placement;
    assert.deepEqual(second.hash, bucketHash(first.id));
    assert.deepEqual([first.expiresAt, second.expiresAt], [START + 3_600_000, START + 3_600_000]);
  });

  // [what, limits, source calls before, the call, expected]
  type Admit = (r: BucketRules) => string | undefined;
  const storeFrom = (source: string, link: Buffer = LINK): Admit => (r) => r.admitStore(source, link);
  const fetchFrom = (source: string, hash: Buffer = Buffer.alloc(32)): Admit => (r) => r.admitFetch(source, hash);
  const admissions: [string, Partial<BucketLimits>, Admit[], Admit, string][] = [
    ['a 240-byte version-1 link', {}, [], storeFrom('a'), 'ok'],
    ['a 239-byte link (undersized)', {}, [], storeFrom('a', Buffer.alloc(239, 1)), 'LINK_SIZE'],
    ['a 241-byte link (oversized)', {}, [], storeFrom('a', Buffer.alloc(241, 1)), 'LINK_SIZE'],
    ['a link of another version (malformed)', {}, [], storeFrom('a', Buffer.alloc(240, 9)), 'LINK_FORMAT'],
    ['a store past the source’s burst', { storeBurst: 2 }, [storeFrom('a'), storeFrom('a')], storeFrom('a'), 'RATE_LIMITED'],
    ['a store from another source when one is at its burst', { storeBurst: 2 }, [storeFrom('a'), storeFrom('a')], storeFrom('b'), 'ok'],
    ['a malformed link costs no token', { storeBurst: 1 }, [storeFrom('a', Buffer.alloc(3))], storeFrom('a'), 'ok'],
    ['a 32-byte hash', {}, [], fetchFrom('a'), 'ok'],
    ['a 31-byte hash', {}, [], fetchFrom('a', Buffer.alloc(31)), 'HASH_FORMAT'],
    ['a fetch past the source’s burst', { fetchBurst: 1 }, [fetchFrom('a')], fetchFrom('a'), 'RATE_LIMITED'],
  ];
  for (const [what, limits, before, call, expected] of admissions) {
    it(`admits ${what}: ${expected}`, () => {
      const r = rules(limits);
      for (const step of before) step(r);
      assert.equal(call(r) ?? 'ok', expected);
    });
  }

  it('a flood from one source is bounded to its burst, then its rate on the clock', async () => {
    const r = rules({ storeBurst: 16, storesPerSecond: 1 });
    const admitted = () => Array.from({ length: 1_000 }, () => r.admitStore('flood', LINK)).filter((code) => code === undefined).length;
    assert.equal(admitted(), 16);
    await clock.advance(10_000);
    assert.equal(admitted(), 10);
    assert.equal(r.admitStore('someone else', LINK), undefined);
    assert.equal(r.figures().refusals.RATE_LIMITED, 1_974);
  });
});
