import assert from 'node:assert/strict';
import { z } from 'zod';
import { createSystem, decodeEnvelope, defineActor, defineProtocol, encodeEnvelope, realRandom, seededRandom, type Envelope } from '../../internal.ts';

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

describe('Envelope ids drawn when something reads them', () => {
  const Probe = defineProtocol('probe', {
    note: { body: z.object({ n: z.number() }) },
    echo: { body: z.object({ n: z.number() }), reply: z.number() },
  });

  /** The real port, counting its draws. */
  function countingRandom() {
    const real = realRandom();
    const counted = { draws: 0, next: real.next, int: real.int, id: () => (counted.draws++, real.id()) };
    return counted;
  }

  it('a tell handed over in-process draws no id; one read draws it once, from the CSPRNG, the same on every read', async () => {
    const random = countingRandom();
    const system = createSystem({ ports: { random } });
    const seen: Envelope[] = [];
    const ref = system.spawn(defineActor({ protocol: Probe, setup: (ctx) => ({ note: () => void seen.push(ctx.envelope!), echo: ({ n }) => n }) }), 'probe');
    const before = random.draws;
    for (let n = 0; n < 100; n++) await ref.tell('note', { n });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(seen.length, 100);
    assert.equal(random.draws, before, 'no id drawn for 100 in-process tells');
    const id = seen[0].id;
    assert.match(id, /^[A-Za-z0-9_-]{16}$/);
    assert.equal(seen[0].id, id);
    assert.equal(random.draws, before + 1);
    assert.equal(new Set(seen.map((envelope) => envelope.id)).size, 100);
    // Written out (a logger, an event), it carries its id, never the port.
    const written = JSON.parse(JSON.stringify(seen[1])) as Record<string, unknown>;
    assert.equal(written.id, seen[1].id);
    assert.equal(written.random, undefined);
    // Encoded to leave the process, it carries the same id.
    assert.equal(decodeEnvelope(encodeEnvelope(seen[2])).id, seen[2].id);
    await system.stop({ drainTimeoutMs: 0 });
  });

  it('an ask draws its id at once: the correlation id its reply must present', async () => {
    const random = countingRandom();
    const system = createSystem({ ports: { random } });
    const ref = system.spawn(defineActor({ protocol: Probe, setup: () => ({ note: () => {}, echo: ({ n }) => n + 1 }) }), 'probe');
    const before = random.draws;
    assert.equal(await ref.ask('echo', { n: 1 }), 2);
    assert.equal(random.draws, before + 1);
    await system.stop({ drainTimeoutMs: 0 });
  });
});
