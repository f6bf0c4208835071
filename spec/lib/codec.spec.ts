import assert from 'node:assert/strict';
import { Packr, pack } from 'msgpackr';
import {
  AirlockError,
  DEFAULT_MAX_FRAME_BYTES,
  InvalidMessageError,
  MalformedFrameError,
  OversizedMessageError,
  UnknownAddressError,
  UnknownMessageTypeError,
  decodeEnvelope,
  defineActor,
  encodeEnvelope,
  seededRandom,
  type ActorSystem,
  type Envelope,
} from '../../internal.ts';
import { MAX_NESTING } from '../../lib/plain-msgpack.ts';
import { counter, Counter, testSystem } from '../support/fixtures.ts';

const envelope = (overrides: Partial<Envelope> = {}): Envelope => ({
  id: 'm1',
  to: 'counter',
  from: 'edge/float',
  type: 'add',
  body: { by: 2 },
  headers: { peer: 'O=Bank A', encrypted: false },
  attempt: 0,
  ...overrides,
});

describe('codec', () => {
  it('round-trips every envelope field through msgpack', () => {
    const original = envelope({ correlationId: 'm1', replyTo: '$replies/x', attempt: 3 });
    assert.deepEqual(decodeEnvelope(encodeEnvelope(original)), original);
  });

  it('refuses an oversized frame before decoding it', () => {
    const frame = encodeEnvelope(envelope({ body: { by: 1, pad: 'x'.repeat(2_000) } }));
    assert.throws(() => decodeEnvelope(frame, 1_024), (error: unknown) => error instanceof OversizedMessageError && error.limit === 1_024);
  });

  it('gives MalformedFrameError for garbage, wrong shapes and wrong field types', () => {
    const frames: [string, Uint8Array][] = [
      ['not msgpack', Uint8Array.from([0xc1, 0xff, 0x00])],
      ['an array claiming 4 billion items', Uint8Array.from([0xdd, 0xff, 0xff, 0xff, 0xff])],
      ['a string claiming 4 GiB', Uint8Array.from([0xdb, 0xff, 0xff, 0xff, 0xff])],
      ['nesting a million deep', new Uint8Array(1 << 20).fill(0x91)],
      ['not an array', pack({ id: 'm1' })],
      ['wrong version', pack([9, 'm1', 'counter', null, 'add', {}, null, null, null, 0])],
      ['id not a string', pack([1, 42, 'counter', null, 'add', {}, null, null, null, 0])],
      ['negative attempt', pack([1, 'm1', 'counter', null, 'add', {}, null, null, null, -1])],
      ['header holding an object', pack([1, 'm1', 'counter', null, 'add', {}, null, null, { a: { b: 1 } }, 0])],
    ];
    for (const [what, frame] of frames) {
      assert.throws(() => decodeEnvelope(frame), MalformedFrameError, what);
    }
  });
});

/** msgpackr with every built-in extension on, as a hostile sender would encode. */
const hostile = new Packr({ moreTypes: true, structuredClone: true, useRecords: true });
const frameWithBody = (body: unknown, packr: Packr = hostile) =>
  packr.pack([1, 'm1', 'counter', null, 'add', body, null, null, null, 0]);
/** A frame whose body is raw msgpack `bytes` (pack then splice, so the envelope stays valid). */
const frameWithRawBody = (bytes: Uint8Array) => {
  const head = pack([1, 'm1', 'counter', null, 'add']);
  const tail = pack([null, null, null, 0]).subarray(1);
  return Buffer.concat([Uint8Array.of(0x9a), head.subarray(1), bytes, tail]);
};
const ext = (type: number, data: number[]) => Uint8Array.of(0xc7, data.length, type & 0xff, ...data);

describe('codec: outside bytes decode to plain data only', () => {
  it('refuses every msgpack extension as MalformedFrameError, within a small time bound', () => {
    const hugeBigInt = frameWithBody(2n ** (8n * 900_000n) - 1n);
    assert.ok(hugeBigInt.length > 900_000 && hugeBigInt.length < DEFAULT_MAX_FRAME_BYTES);
    const frames: [string, Uint8Array][] = [
      ['Date (timestamp, ext -1)', frameWithBody({ at: new Date(0) })],
      ['Error (ext 0x65)', frameWithBody(new Error('forged'))],
      ['RegExp (ext 0x78)', frameWithBody(/a+$/)],
      ['Set (ext 0x73)', frameWithBody(new Set([1]))],
      ['Float64Array (ext 0x74)', frameWithBody(new Float64Array([1]))],
      ['BigInt (ext 0x42)', frameWithBody(2n ** 70n)],
      ['a ~900 KB BigInt', hugeBigInt],
      ['a record definition (ext 0x72)', frameWithBody([{ a: 1 }, { a: 2 }])],
      ['structured clone ids (ext 0x69)', frameWithBody(((shared) => ({ x: shared, y: shared }))({ k: 1 }))],
      ['bundled strings (ext 0x62)', new Packr({ bundleStrings: true }).pack([1, 'm1', 'counter', null, 'add', { s: 'x'.repeat(40) }, null, null, null, 0])],
      ['an unknown ext type 5', frameWithRawBody(ext(5, [1, 2, 3]))],
      ['0xc1, never used', frameWithRawBody(Uint8Array.of(0xc1))],
    ];
    for (const [what, frame] of frames) {
      // Refused from the extension's header: microseconds, whatever its size (the best of three
      // attempts, so a GC pause on a busy machine does not count).
      let best = Infinity;
      for (let attempt = 0; attempt < 3; attempt++) {
        const started = performance.now();
        assert.throws(() => decodeEnvelope(frame), MalformedFrameError, what);
        best = Math.min(best, performance.now() - started);
      }
      assert.ok(best < 2, `${what} took ${best.toFixed(2)} ms to refuse`);
    }
  });

  it('refuses a Map, a BigInt and a 64-bit integer that a double cannot hold, never decoding one', () => {
    const mapPackr = new Packr({ mapsAsObjects: false, useRecords: false });
    const frames: [string, Uint8Array][] = [
      ['a Map with a number key', frameWithBody(new Map([[1, 'one']]), mapPackr)],
      ['a Map with an object key', frameWithBody(new Map([[{ a: 1 }, 'one']]), mapPackr)],
      ['uint64 2^53 + 1', frameWithRawBody(Uint8Array.of(0xcf, 0x00, 0x20, 0, 0, 0, 0, 0, 1))],
      ['int64 -(2^53) - 1', frameWithRawBody(Uint8Array.of(0xd3, 0xff, 0xdf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))],
      ['int64 2^63 - 1', frameWithBody(2n ** 63n - 1n, new Packr({ useRecords: false }))],
    ];
    for (const [what, frame] of frames) assert.throws(() => decodeEnvelope(frame), MalformedFrameError, what);
    // What a double holds exactly still decodes, as a number.
    const exact = decodeEnvelope(frameWithRawBody(Uint8Array.of(0x92, 0xcf, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xd3, 0xff, 0xe0, 0, 0, 0, 0, 0, 0)));
    assert.deepEqual(exact.body, [2 ** 53 - 1, -(2 ** 53)]);
  });

  it('decodes plain data to plain values: objects with Object.prototype, arrays, numbers, strings, bin as bytes', () => {
    const body = { n: -1.5, big: 2 ** 60, nan: NaN, s: 'é', t: true, none: null, gone: undefined, list: [1, 'a', { b: [] }], bin: Uint8Array.of(1, 2, 3) };
    const frame = Buffer.from(encodeEnvelope(envelope({ body })));
    const decoded = decodeEnvelope(frame).body as Record<string, unknown>;
    assert.deepEqual({ ...decoded, bin: [...(decoded.bin as Uint8Array)] }, { ...body, bin: [1, 2, 3] });
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.equal(Object.getPrototypeOf((decoded.list as unknown[])[2]), Object.prototype);
    assert.ok(decoded.bin instanceof Uint8Array);
    frame.fill(0);
    assert.deepEqual([...(decoded.bin as Uint8Array)], [1, 2, 3], 'bin values own their bytes, not a view of the frame');
  });

  it("refuses a '__proto__' map key, so nothing is polluted or renamed", () => {
    // {"__proto__": {"polluted": true}} written by hand: a JS object literal cannot carry that key.
    const key = Buffer.from('__proto__');
    const body = Uint8Array.of(0x81, 0xa0 | key.length, ...key, 0x81, 0xa8, ...Buffer.from('polluted'), 0xc3);
    assert.throws(() => decodeEnvelope(frameWithRawBody(body)), (error: unknown) => error instanceof MalformedFrameError && /__proto__/.test(error.message));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it(`refuses nesting deeper than ${MAX_NESTING} levels and accepts ${MAX_NESTING}`, () => {
    const nested = (levels: number) => Uint8Array.of(...new Array<number>(levels - 1).fill(0x91), 0x90);
    // The envelope array is the first level, so the body may nest MAX_NESTING - 1 deep.
    assert.doesNotThrow(() => decodeEnvelope(frameWithRawBody(nested(MAX_NESTING - 1))));
    assert.throws(() => decodeEnvelope(frameWithRawBody(nested(MAX_NESTING))), (error: unknown) => error instanceof MalformedFrameError && /nesting/.test(error.message));
  });
});

describe('ActorSystem.deliverFrame (bytes from outside)', () => {
  let system: ActorSystem;
  beforeEach(() => ({ system } = testSystem()));
  afterEach(() => system.stop({ drainTimeoutMs: 0, shutdown: 'brutal' }));

  it('delivers a valid frame to the actor', async () => {
    const ref = system.spawn(counter, 'counter');
    await system.deliverFrame(encodeEnvelope(envelope()));
    assert.equal(await ref.ask('get', {}), 2);
  });

  it('rejects, counts and dead-letters invalid frames while the actor keeps running', async () => {
    const ref = system.spawn(counter, 'counter');
    const events: string[] = [];
    system.events.subscribe((event) => {
      if (event.kind === 'rejected' || event.kind === 'dead-lettered') events.push(`${event.kind} ${event.reason.constructor.name}`);
    });
    await assert.rejects(system.deliverFrame(encodeEnvelope(envelope({ body: { by: 'two' } }))), InvalidMessageError);
    await assert.rejects(system.deliverFrame(encodeEnvelope(envelope({ type: 'reset' }))), UnknownMessageTypeError);
    await assert.rejects(system.deliverFrame(encodeEnvelope(envelope({ to: 'ghost' }))), UnknownAddressError);
    await assert.rejects(system.deliverFrame(Uint8Array.from([1, 2, 3])), MalformedFrameError);
    assert.deepEqual(events, [
      'rejected InvalidMessageError',
      'dead-lettered InvalidMessageError',
      'rejected UnknownMessageTypeError',
      'dead-lettered UnknownMessageTypeError',
      'rejected UnknownAddressError',
      'dead-lettered UnknownAddressError',
      'rejected MalformedFrameError',
      'dead-lettered MalformedFrameError',
    ]);
    assert.deepEqual(system.counters, { rejected: 4, deadLettered: 4, droppedReplies: 0 });
    await system.deliverFrame(encodeEnvelope(envelope({ body: { by: 5 } })));
    assert.equal(await ref.ask('get', {}), 5, 'the actor never saw the bad ones and handles the next good one');
    assert.equal(system.lookup('counter')?.status().failed, 0);
  });

  it('survives 5,000 seeded random and mutated frames: each is delivered or refused with a typed error', async () => {
    const random = seededRandom(2026);
    const ref = system.spawn(counter, 'counter');
    const valid = encodeEnvelope(envelope());
    let delivered = 0;
    for (let i = 0; i < 5_000; i++) {
      const frame = i % 2 === 0 ? Uint8Array.from({ length: random.int(64) }, () => random.int(256)) : Uint8Array.from(valid);
      if (i % 2 === 1) for (let flips = 1 + random.int(4); flips > 0; flips--) frame[random.int(frame.length)] = random.int(256);
      try {
        await system.deliverFrame(frame);
        delivered++;
      } catch (error) {
        assert.ok(error instanceof AirlockError, `frame ${i} failed with ${String(error)}`);
      }
    }
    assert.equal(system.counters.rejected, 5_000 - delivered);
    assert.equal(typeof (await ref.ask('get', {})), 'number', 'the actor is still there and answering');
    assert.equal(system.lookup('counter')?.status().failed, 0);
  });

  it('strips fields the protocol does not declare before the actor sees the body', async () => {
    const seen: unknown[] = [];
    const recorder = defineActor({
      protocol: Counter,
      setup: () => ({ add: (body) => void seen.push(body), get: () => seen.length, crash() {}, finish() {}, hang() {} }),
    });
    system.spawn(recorder, 'counter');
    await system.deliverFrame(encodeEnvelope(envelope({ body: { by: 1, isAdmin: true } })));
    await system.ref('counter', Counter).ask('get', {});
    assert.deepEqual(seen, [{ by: 1 }]);
  });
});
