import assert from 'node:assert/strict';
import { pack } from 'msgpackr';
import {
  AirlockError,
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
} from '../../index.ts';
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
