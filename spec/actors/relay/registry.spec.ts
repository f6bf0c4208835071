import assert from 'node:assert/strict';
import { VirtualClock } from '../../../lib/ports/virtual-clock.ts';
import { DEFAULT_REGISTRY_LIMITS, Registry, type RegistryLimits } from '../../../actors/relay/registry/index.ts';

const id = (n: number) => n.toString(16).padStart(64, '0');
const token = (n: number) => n.toString(16).padStart(32, '0');

describe('relay Registry (reservation rules, virtual clock)', () => {
  let clock: VirtualClock;
  const registry = (limits: Partial<RegistryLimits> = {}) => new Registry(clock, { ...DEFAULT_REGISTRY_LIMITS, ttlMs: 60_000, ...limits });
  beforeEach(() => (clock = new VirtualClock({ start: 1_000_000 })));

  // [what, limits, steps before, the request, expected code or 'OK']
  type Step = (r: Registry) => unknown;
  const reserve = (n: number, source = 'src-a', link = `link-${n}`): Step => (r) => r.reserve(id(n), source, link);
  const open = (target: number, source = 'src-b', t = target * 1000 + Math.floor(Math.random() * 999)): Step => (r) => r.openCircuit(id(target), source, token(t));
  const rows: [string, Partial<RegistryLimits>, Step[], Step, string][] = [
    ['a first reservation', {}, [], reserve(1), 'OK'],
    ['a renewal on the same link', {}, [reserve(1)], reserve(1), 'OK'],
    ['a reservation past maxReservations', { maxReservations: 2 }, [reserve(1, 's1'), reserve(2, 's2')], reserve(3, 's3'), 'RESOURCE_LIMIT_EXCEEDED'],
    ['a renewal when the relay is full', { maxReservations: 2 }, [reserve(1, 's1'), reserve(2, 's2')], reserve(2, 's2'), 'OK'],
    ['a fifth reservation from one source', { maxReservationsPerSource: 4 }, [1, 2, 3, 4].map((n) => reserve(n)), reserve(5), 'RESOURCE_LIMIT_EXCEEDED'],
    ['a reservation from another source when one is at its share', { maxReservationsPerSource: 4 }, [1, 2, 3, 4].map((n) => reserve(n)), reserve(5, 'src-z'), 'OK'],
    ['an identity off the allow-list', { allow: [id(1)] }, [], reserve(2), 'RESERVATION_REFUSED'],
    ['an identity on the allow-list', { allow: [id(1)] }, [], reserve(1), 'OK'],
    ['a circuit to an identity never reserved', {}, [], open(9), 'NO_RESERVATION'],
    ['a circuit to a reserved identity', {}, [reserve(1)], open(1), 'OK'],
    ['a circuit after the link released the reservation', {}, [reserve(1), (r) => r.release(id(1), 'link-1')], open(1), 'NO_RESERVATION'],
    ['a circuit past circuits per party (towards C)', { maxCircuitsPerParty: 2 }, [reserve(1), open(1, 'b1', 1), open(1, 'b2', 2)], open(1, 'b3', 3), 'RESOURCE_LIMIT_EXCEEDED'],
    ['a circuit past circuits per party (from one B)', { maxCircuitsPerParty: 2 }, [reserve(1), reserve(2, 's2'), open(1, 'b', 1), open(2, 'b', 2)], open(1, 'b', 3), 'RESOURCE_LIMIT_EXCEEDED'],
    ['a circuit once one of the party’s ended', { maxCircuitsPerParty: 2 }, [reserve(1), open(1, 'b', 1), open(1, 'b', 2), (r) => r.closeCircuit(token(1), 'closed')], open(1, 'b', 3), 'OK'],
    ['a circuit past circuits in all', { maxCircuits: 1 }, [reserve(1), reserve(2, 's2'), open(1, 'b1', 1)], open(2, 'b2', 2), 'RESOURCE_LIMIT_EXCEEDED'],
  ];
  for (const [what, limits, before, request, expected] of rows) {
    it(`${what}: ${expected}`, () => {
      const r = registry(limits);
      for (const step of before) step(r);
      const answer = request(r) as { ok: boolean; code?: string };
      assert.equal(answer.ok ? 'OK' : answer.code, expected);
    });
  }

  it('a reservation expires after its ttl, and a renewal before then keeps it', async () => {
    const r = registry();
    r.reserve(id(1), 's', 'l1');
    r.reserve(id(2), 's', 'l2');
    await clock.advance(40_000);
    r.reserve(id(2), 's', 'l2');
    await clock.advance(25_000);
    assert.deepEqual(r.openCircuit(id(1), 'b', token(1)), { ok: false, code: 'NO_RESERVATION' });
    assert.equal(r.openCircuit(id(2), 'b', token(2)).ok, true);
    await clock.advance(40_000);
    assert.deepEqual(r.openCircuit(id(2), 'b', token(3)), { ok: false, code: 'NO_RESERVATION' });
  });

  it('an expired reservation frees its place: the relay takes a new one', async () => {
    const r = registry({ maxReservations: 1 });
    assert.equal(r.reserve(id(1), 's', 'l1').ok, true);
    assert.equal(r.reserve(id(2), 's', 'l2').ok, false);
    await clock.advance(60_000);
    assert.equal(r.reserve(id(2), 's', 'l2').ok, true);
  });

  it('a reservation from a new link replaces the old one (C reconnected), and the old link’s close does not drop it', () => {
    const r = registry();
    r.reserve(id(1), 's', 'old');
    const answer = r.reserve(id(1), 's', 'new');
    assert.equal(answer.ok && answer.replaced, 'old');
    r.release(id(1), 'old');
    assert.equal(r.reservationOf(id(1))?.link, 'new');
    assert.equal(r.openCircuit(id(1), 'b', token(1)).ok, true);
  });

  it('grants carry the circuit limits; a reservation’s carries its ttl', () => {
    const r = registry({ maxCircuitBytes: 1234, maxCircuitDurationMs: 5678 });
    const reserved = r.reserve(id(1), 's', 'l');
    assert.deepEqual(reserved.ok && reserved.grant, { ttlMs: 60_000, maxDurationMs: 5678, maxBytes: 1234 });
    const opened = r.openCircuit(id(1), 'b', token(1));
    assert.deepEqual(opened.ok && opened.grant, { ttlMs: 0, maxDurationMs: 5678, maxBytes: 1234 });
  });

  it('counts refusals by code and circuit ends by reason; reset forgets everything', () => {
    const r = registry({ maxCircuits: 1 });
    r.openCircuit(id(1), 'b', token(1));
    r.reserve(id(1), 's', 'l');
    r.openCircuit(id(1), 'b', token(2));
    r.openCircuit(id(1), 'b', token(3));
    r.closeCircuit(token(2), 'bytes');
    r.closeCircuit(token(2), 'bytes');
    assert.deepEqual(r.figures(), { reservations: 1, circuits: 0, refusals: { NO_RESERVATION: 1, RESOURCE_LIMIT_EXCEEDED: 1 }, ended: { bytes: 1 } });
    r.reset();
    assert.equal(r.figures().reservations, 0);
  });
});
