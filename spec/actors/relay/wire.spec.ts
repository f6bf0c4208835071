import assert from 'node:assert/strict';
import { seededRandom } from '../../../lib/ports/random.ts';
import { FrameReader, MalformedRelayFrameError, decodeFrame, encodeFrame, type Frame } from '../../../actors/relay/wire/index.ts';

const ID = 'ab'.repeat(32);
const TOKEN = 'cd'.repeat(16);

describe('relay wire (the framed handshake)', () => {
  // Every frame, byte for byte as the README documents it.
  const frames: [string, Frame, string][] = [
    ['RESERVE', { type: 'RESERVE' }, '01010000'],
    ['CONNECT', { type: 'CONNECT', identity: ID }, `01020020${ID}`],
    ['ACCEPT', { type: 'ACCEPT', token: TOKEN }, `01030010${TOKEN}`],
    ['INCOMING', { type: 'INCOMING', token: TOKEN }, `01820010${TOKEN}`],
    ['STATUS NO_RESERVATION', { type: 'STATUS', status: 'NO_RESERVATION' }, '0181000200cc'],
    ['STATUS RESOURCE_LIMIT_EXCEEDED', { type: 'STATUS', status: 'RESOURCE_LIMIT_EXCEEDED' }, '0181000200c9'],
    ['STATUS OK', { type: 'STATUS', status: 'OK', grant: { ttlMs: 3_600_000, maxDurationMs: 86_400_000, maxBytes: 4 * 1024 ** 3 } }, '0181001200640036ee8005265c000000000100000000'],
  ];
  for (const [what, frame, hex] of frames) {
    it(`${what} is ${hex.length / 2} bytes: ${hex.slice(0, 24)}…, and decodes back`, () => {
      assert.equal(encodeFrame(frame).toString('hex'), hex);
      assert.deepEqual(new FrameReader().push(Buffer.from(hex, 'hex')), [frame]);
    });
  }

  it('reads frames split at every byte boundary and keeps what follows for the next reader', () => {
    const bytes = Buffer.concat([encodeFrame({ type: 'CONNECT', identity: ID }), Buffer.from('tls bytes')]);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const reader = new FrameReader();
      reader.append(bytes.subarray(0, cut));
      const first = reader.next();
      reader.append(bytes.subarray(cut));
      const frame = first ?? reader.next();
      assert.deepEqual(frame, { type: 'CONNECT', identity: ID });
      assert.equal(reader.rest().toString(), 'tls bytes');
    }
  });

  // Hostile headers: refused on the header, before any payload is buffered.
  const malformed: [string, string][] = [
    ['another version', '02010000'],
    ['a version byte alone', '07'],
    ['an oversized length (257)', '01020101'],
    ['the largest length (65535)', '0102ffff'],
    ['an unknown type', '01070000'],
    ['a short identity', `0102001f${'ab'.repeat(31)}`],
    ['a long token', `01030011${'cd'.repeat(17)}`],
    ['a RESERVE with a payload', '0101000100'],
    ['an unknown status', '018100020063'],
    ['a status of one byte', '01810001cc'],
    ['an OK without its grant', '018100020064'],
  ];
  for (const [what, hex] of malformed) {
    it(`refuses ${what}`, () => {
      assert.throws(() => new FrameReader().push(Buffer.from(hex, 'hex')), MalformedRelayFrameError);
    });
  }

  it('never buffers past one header and 256 bytes', () => {
    const reader = new FrameReader();
    reader.append(Buffer.from('01020100', 'hex'));
    assert.equal(reader.next(), undefined);
    reader.append(Buffer.alloc(255));
    assert.equal(reader.next(), undefined);
    assert.equal(reader.bufferedBytes, 259);
    assert.throws(() => decodeFrame(0x02, Buffer.alloc(256)), MalformedRelayFrameError);
  });

  it('10,000 seeded random and mutated byte strings either decode or are refused typed, never anything else', () => {
    const random = seededRandom(19);
    const valid = [encodeFrame({ type: 'CONNECT', identity: ID }), encodeFrame({ type: 'ACCEPT', token: TOKEN }), encodeFrame({ type: 'STATUS', status: 'OK', grant: { ttlMs: 1, maxDurationMs: 2, maxBytes: 3 } })];
    let decoded = 0;
    let refused = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const bytes = random.next() < 0.5 ? Buffer.from(Array.from({ length: random.int(300) }, () => random.int(256))) : Buffer.from(valid[random.int(valid.length)]!);
      for (let flips = random.int(4); flips > 0 && bytes.length > 0; flips -= 1) bytes[random.int(bytes.length)] = random.int(256);
      const reader = new FrameReader();
      try {
        decoded += reader.push(bytes).length;
        assert.ok(reader.bufferedBytes <= 4 + 256);
      } catch (error) {
        assert.ok(error instanceof MalformedRelayFrameError, String(error));
        refused += 1;
      }
    }
    assert.ok(decoded > 1_000 && refused > 1_000, `${decoded} decoded, ${refused} refused`);
  });

  it('encodes only well-formed identities and tokens', () => {
    assert.throws(() => encodeFrame({ type: 'CONNECT', identity: 'AB'.repeat(32) }), TypeError);
    assert.throws(() => encodeFrame({ type: 'ACCEPT', token: 'cd' }), TypeError);
  });
});
