import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { VirtualClock } from '../../../lib/ports/virtual-clock.ts';
import { Splice, type SpliceOptions } from '../../../actors/relay/circuit/index.ts';
import type { CircuitEnd } from '../../../actors/relay/registry/index.ts';

/**
 * Two connected ends, like a socket pair: what one writes, the other reads. A write is done only
 * once the far end's reader took it (its buffer below the high-water mark), so a reader that
 * does not read holds the writer back, as TCP does.
 */
function socketPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const waiting: ((() => void) | undefined)[] = [undefined, undefined];
  const make = (peer: number, self: number) =>
    new Duplex({
      highWaterMark: 16 * 1024,
      read() {
        const next = waiting[self];
        waiting[self] = undefined;
        next?.();
      },
      write(chunk: Buffer, _encoding, done) {
        if (ends[peer]!.push(chunk)) done();
        else waiting[peer] = done;
      },
      final(done) {
        ends[peer]!.push(null);
        done();
      },
    });
  ends.push(make(1, 0), make(0, 1));
  return [ends[0]!, ends[1]!];
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('relay Splice (the circuit’s byte pump, virtual clock)', () => {
  let clock: VirtualClock;
  beforeEach(() => (clock = new VirtualClock({ start: 0 })));

  /** B's and C's own ends, the relay's splice between them, and how it ended. */
  function circuit(options: Partial<SpliceOptions> = {}) {
    const [bAtRelay, b] = socketPair();
    const [cAtRelay, c] = socketPair();
    const ended: CircuitEnd[] = [];
    const splice = new Splice(bAtRelay, cAtRelay, { clock, maxBytes: 1024 ** 3, maxDurationMs: 0, lingerMs: 1_000, onEnd: (reason) => ended.push(reason), ...options });
    const atC: Buffer[] = [];
    const atB: Buffer[] = [];
    return { splice, b, c, bAtRelay, ended, atC, atB, readAll: () => (c.on('data', (x: Buffer) => atC.push(x)), b.on('data', (x: Buffer) => atB.push(x))) };
  }

  // [what, options, what happens, the end reported, bytes that reached C]
  const rows: [string, Partial<SpliceOptions>, (t: ReturnType<typeof circuit>) => Promise<void>, CircuitEnd | undefined, number][] = [
    ['bytes both ways, no limit reached', {}, async (t) => void (t.b.write('hello'), t.c.write('back')), undefined, 5],
    ['one byte past the bytes per direction', { maxBytes: 10 }, async (t) => void (t.b.write('0123456789'), await settle(), t.b.write('x')), 'bytes', 10],
    ['the limit is per direction', { maxBytes: 10 }, async (t) => void (t.b.write('0123456789'), t.c.write('0123456789')), undefined, 10],
    ['the duration passes', { maxDurationMs: 60_000 }, async () => void (await clock.advance(60_000)), 'duration', 0],
    ['the duration has not passed yet', { maxDurationMs: 60_000 }, async () => void (await clock.advance(59_999)), undefined, 0],
    ['both sides end', {}, async (t) => void (t.b.end('bye'), t.c.end()), 'closed', 3],
    ['the relay’s end of one side is reset (ECONNRESET)', {}, async (t) => void t.bAtRelay.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 'error', 0],
    ['a tap replaces what it sees', { tap: (_d, chunk) => Buffer.from(chunk.toString().toUpperCase()) }, async (t) => void t.b.write('quiet'), undefined, 5],
  ];
  for (const [what, options, act, end, toC] of rows) {
    it(`${what}: ${end ?? 'still open'}, ${toC} bytes at C`, async () => {
      const t = circuit(options);
      t.readAll();
      await act(t);
      for (let i = 0; i < 5; i += 1) await settle();
      assert.equal(Buffer.concat(t.atC).length, toC);
      assert.equal(t.splice.endedWith, end);
      if (end) {
        await clock.advance(1_000); // the linger, for a side that never closes
        for (let i = 0; i < 3; i += 1) await settle();
        assert.deepEqual(t.ended, [end], 'reported once');
      } else assert.deepEqual(t.ended, []);
    });
  }

  it('a tap’s output is what C reads', async () => {
    const t = circuit({ tap: (_d, chunk) => Buffer.from(chunk.toString().toUpperCase()) });
    t.readAll();
    t.b.write('quiet');
    for (let i = 0; i < 3; i += 1) await settle();
    assert.equal(Buffer.concat(t.atC).toString(), 'QUIET');
  });

  it('a reader that never reads holds the writer back: the splice holds about two buffers, not what B wrote', async () => {
    const t = circuit();
    let written = 0;
    const chunk = Buffer.alloc(64 * 1024);
    while (written < 16 * 1024 * 1024 && t.b.write(chunk)) written += chunk.length;
    for (let i = 0; i < 20; i += 1) await settle();
    assert.ok(t.splice.bytes.toC < 1024 * 1024, `forwarded ${t.splice.bytes.toC} bytes to a C that reads nothing`);
    assert.ok(t.splice.buffered() <= 4 * 64 * 1024, `the splice holds ${t.splice.buffered()} bytes`);
    t.readAll(); // C reads: everything B wrote arrives
    await new Promise<void>((resolve) => {
      const check = () => (Buffer.concat(t.atC).length >= written ? resolve() : setImmediate(check));
      check();
    });
  });
});
