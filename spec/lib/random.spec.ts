import assert from 'node:assert/strict';
import { createSystem, realRandom, seededRandom } from '../../internal.ts';

describe('Random port: envelope ids', () => {
  it('draws real ids of 96 bits from the CSPRNG: 16 base64url characters, no shared tag, no counter', () => {
    const random = realRandom();
    const ids = Array.from({ length: 100_000 }, () => random.id());
    assert.ok(ids.every((id) => /^[A-Za-z0-9_-]{16}$/.test(id)));
    assert.equal(new Set(ids).size, ids.length);
    // A tag-plus-counter scheme shares its prefix across ids; 48 random bits almost never repeat in 100,000.
    assert.equal(new Set(ids.map((id) => id.slice(0, 8))).size, ids.length);
  });

  it("keeps a system's reply address unrelated to the ids it issues", () => {
    const system = createSystem();
    const ids = Array.from({ length: 10_000 }, () => system.random.id());
    const sharing = ids.filter((id) => system.replyAddress.includes(id.slice(0, 8)));
    assert.deepEqual(sharing, []);
    return system.stop({ drainTimeoutMs: 0 });
  });

  it('keeps seeded ids a function of the seed, so a simulation replays', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 2_000 }, () => random.id());
    };
    assert.deepEqual(draw(17), draw(17));
    assert.notDeepEqual(draw(17), draw(18));
    assert.equal(new Set(draw(17)).size, 2_000);
  });
});
