import assert from 'node:assert/strict';
import { dnsSourceOf, RegistrationReassembler } from '../../../../actors/split-broker/registrar/index.ts';
import { VirtualClock } from '../../../../lib/ports/virtual-clock.ts';
import { DnsRegistrationError, type RegistrationChunk } from '../../../../actors/split-broker/wire/index.ts';

/** Chunk `seq` of a three-chunk registration `session`. */
const chunk = (session: string, seq: number): RegistrationChunk => ({ session, seq, total: 3, data: Uint8Array.of(seq) });

/** Accepts a chunk; a refusal is its RCODE rather than a throw, so a flood can be counted. */
function offer(reassembler: RegistrationReassembler, piece: RegistrationChunk, source: string): string {
  try {
    return reassembler.accept(piece, source).state;
  } catch (error) {
    if (error instanceof DnsRegistrationError) return error.rcode;
    throw error;
  }
}

describe('DNS reassembly under a flood (default bounds: 1,000 unfinished, 4 per source, 30 s)', () => {
  it('five sources at 10 new registrations/s each for 30 s hold 20 slots, and a sixth source registers meanwhile', async () => {
    const clock = new VirtualClock();
    const reassembler = new RegistrationReassembler(clock);
    const flood = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4', '198.51.100.5'];
    const outcomes = new Map<string, number>();
    const legit: string[] = [];
    for (let tick = 0; tick < 300; tick++) {
      for (const source of flood) {
        const state = offer(reassembler, chunk(`${source}-${tick}`, 0), source);
        outcomes.set(state, (outcomes.get(state) ?? 0) + 1);
      }
      // The client sends a chunk every 100 ms, from the flood's 28th second on.
      if (tick >= 280 && tick < 283) legit.push(offer(reassembler, chunk('client', tick - 280), '203.0.113.7'));
      await clock.advance(100);
    }
    assert.deepEqual(Object.fromEntries(outcomes), { partial: 1_500 });
    assert.deepEqual(legit, ['partial', 'partial', 'complete']);
    assert.equal(reassembler.openSessions, 20);
    assert.equal(reassembler.evicted, 1_480);
  });

  it('spoofed sources, one registration each at 1,000/s, evict the oldest; a client finishing within a second still registers', async () => {
    const clock = new VirtualClock();
    const reassembler = new RegistrationReassembler(clock);
    const legit: string[] = [];
    let refused = 0;
    for (let ms = 0; ms < 3_000; ms++) {
      if (offer(reassembler, chunk(`spoofed${ms}`, 0), `10.${ms >> 16}.${(ms >> 8) & 255}.${ms & 255}`) !== 'partial') refused++;
      if (ms >= 2_100 && ms < 2_800 && ms % 300 === 0) legit.push(offer(reassembler, chunk('client', (ms - 2_100) / 300), '203.0.113.7'));
      await clock.advance(1);
    }
    assert.deepEqual(legit, ['partial', 'partial', 'complete']);
    assert.equal(refused, 0);
    assert.equal(reassembler.openSessions, 1_000);
    assert.equal(reassembler.evicted, 2_000);
  });

  it("a source's fifth unfinished registration evicts its own oldest, not another source's", () => {
    const reassembler = new RegistrationReassembler(new VirtualClock());
    assert.equal(offer(reassembler, chunk('other', 0), '192.0.2.9'), 'partial');
    for (let n = 1; n <= 5; n++) assert.equal(offer(reassembler, chunk(`mine${n}`, 0), '192.0.2.1'), 'partial');
    assert.deepEqual([reassembler.openSessions, reassembler.evicted], [5, 1]);
    assert.deepEqual(reassembler.accept(chunk('other', 1), '192.0.2.9'), { state: 'partial', received: 2, total: 3 });
    assert.deepEqual(reassembler.accept(chunk('mine1', 1), '192.0.2.1'), { state: 'partial', received: 1, total: 3 });
  });

  it('counts a chunk against the source that opened its registration, whichever resolver relays it', () => {
    const reassembler = new RegistrationReassembler(new VirtualClock(), { maxChunks: 64, maxSessions: 1_000, maxPerSource: 1, expiryMs: 30_000 });
    assert.equal(offer(reassembler, chunk('relayed', 0), '192.0.2.1'), 'partial');
    assert.equal(offer(reassembler, chunk('relayed', 1), '192.0.2.2'), 'partial');
    assert.equal(offer(reassembler, chunk('second', 0), '192.0.2.2'), 'partial');
    assert.deepEqual([reassembler.openSessions, reassembler.evicted], [2, 0]);
    assert.equal(offer(reassembler, chunk('relayed', 2), '192.0.2.2'), 'complete');
  });

  it('refuses a registration of more chunks than allowed with REFUSED: a bound of the registrar, not a malformed name', () => {
    const reassembler = new RegistrationReassembler(new VirtualClock());
    assert.equal(offer(reassembler, { session: 's', seq: 0, total: 65, data: Uint8Array.of(0) }, '192.0.2.1'), 'REFUSED');
    assert.equal(offer(reassembler, { session: 's', seq: 0, total: 64, data: Uint8Array.of(0) }, '192.0.2.1'), 'partial');
  });

  const SOURCES: [string, string][] = [
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8:0:1::5', '2001:db8:0:1::/64'],
    ['2001:0db8:0000:0001:ffff:ffff:ffff:ffff', '2001:db8:0:1::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%lo', 'fe80:0:0:0::/64'],
  ];
  for (const [host, source] of SOURCES) {
    it(`counts ${host} as ${source}`, () => assert.equal(dnsSourceOf(host), source));
  }
});
