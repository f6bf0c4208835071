import assert from 'node:assert/strict';
import { RegistrationReassembler } from '../../../../actors/split-broker/registrar/index.ts';
import { VirtualClock } from '../../../../lib/ports/virtual-clock.ts';
import {
  DnsRegistrationError,
  base32Decode,
  base32Encode,
  decodeRegistrationQuery,
  decodeRegistrationResponse,
  encodeRegistrationQuery,
  encodeRegistrationResponse,
  parseRegistrationName,
  registrationQueryNames,
} from '../../../../actors/split-broker/wire/index.ts';

const ZONE = 'reg.example.org';
const sealed = Uint8Array.from({ length: 250 }, (_, i) => (i * 37 + 11) & 0xff);
const refused = (rcode: string, reason: string) => (error: unknown) =>
  error instanceof DnsRegistrationError && error.rcode === rcode && error.reason === reason;

describe('DNS registration (labels of TXT queries)', () => {
  it('base32-encodes as RFC 4648 (lowercase, unpadded) and decodes any case', () => {
    assert.equal(base32Encode(Buffer.from('foobar')), 'mzxw6ytboi');
    assert.deepEqual(Buffer.from(base32Decode('MZXW6YTBOI')!).toString(), 'foobar');
    assert.equal(base32Decode('mzxw1'), undefined);
  });

  it('carries a registration in names of ≤ 253 characters that dig can send', () => {
    const names = registrationQueryNames(sealed, ZONE, 'k3x9');
    assert.equal(names.length, 3);
    assert.match(names[0]!, /^[a-z2-7]{63}\.[a-z2-7]{63}\.[a-z2-7]{34}\.0\.3\.k3x9\.reg\.example\.org$/);
    assert.ok(names.every((name) => name.length <= 253));
    assert.deepEqual(parseRegistrationName(names[2]!.toUpperCase(), ZONE), { session: 'k3x9', seq: 2, total: 3, data: sealed.subarray(200) });
  });

  it('reassembles chunks in any order and repeats, once, on the clock\'s bounds', () => {
    const clock = new VirtualClock();
    const reassembler = new RegistrationReassembler(clock);
    const [a, b, c] = registrationQueryNames(sealed, ZONE, 's1').map((name) => parseRegistrationName(name, ZONE));
    assert.deepEqual(reassembler.accept(c!, '192.0.2.1'), { state: 'partial', received: 1, total: 3 });
    assert.deepEqual(reassembler.accept(c!, '192.0.2.1'), { state: 'partial', received: 1, total: 3 });
    assert.deepEqual(reassembler.accept(a!, '192.0.2.1'), { state: 'partial', received: 2, total: 3 });
    const done = reassembler.accept(b!, '192.0.2.1');
    assert.equal(done.state, 'complete');
    assert.deepEqual(done.state === 'complete' && new Uint8Array(done.sealed), sealed);
    assert.deepEqual(reassembler.accept(b!, '192.0.2.1'), { state: 'repeated', total: 3 });
  });

  it('refuses malformed, contradictory and out-of-bounds chunks with FORMERR / REFUSED', () => {
    const clock = new VirtualClock();
    const reassembler = new RegistrationReassembler(clock, { maxChunks: 4, maxSessions: 1, maxPerSource: 4, expiryMs: 30_000 });
    assert.throws(() => parseRegistrationName(`aa.0.1.s.other.org`, ZONE), refused('REFUSED', 'name outside the zone'));
    assert.throws(() => parseRegistrationName(`aa.1.1.s.${ZONE}`, ZONE), refused('FORMERR', 'bad sequence number or total'));
    assert.throws(() => parseRegistrationName(`a1.0.1.s.${ZONE}`, ZONE), refused('FORMERR', 'data is not base32'));
    assert.throws(() => parseRegistrationName(`0.1.s.${ZONE}`, ZONE), refused('FORMERR', 'expected <data>.<seq>.<total>.<session>'));
    assert.throws(() => reassembler.accept({ session: 's', seq: 0, total: 5, data: new Uint8Array(1) }, '192.0.2.1'), refused('REFUSED', 'more than 4 chunks'));
    reassembler.accept({ session: 's', seq: 0, total: 2, data: Uint8Array.of(1) }, '192.0.2.1');
    assert.throws(() => reassembler.accept({ session: 's', seq: 0, total: 2, data: Uint8Array.of(2) }, '192.0.2.1'), refused('FORMERR', 'chunk differs from the one received'));
    assert.throws(() => reassembler.accept({ session: 's', seq: 1, total: 3, data: Uint8Array.of(2) }, '192.0.2.1'), refused('FORMERR', "total differs from the session's"));
  });

  it('forgets an unfinished session after its expiry', async () => {
    const clock = new VirtualClock();
    const reassembler = new RegistrationReassembler(clock, { maxChunks: 4, maxSessions: 2, maxPerSource: 4, expiryMs: 30_000 });
    reassembler.accept({ session: 's', seq: 0, total: 2, data: Uint8Array.of(1) }, '192.0.2.1');
    reassembler.accept({ session: 't', seq: 0, total: 2, data: Uint8Array.of(1) }, '192.0.2.1');
    await clock.advance(29_999);
    assert.equal(reassembler.accept({ session: 's', seq: 1, total: 2, data: Uint8Array.of(2) }, '192.0.2.1').state, 'complete');
    await clock.advance(1);
    assert.deepEqual(reassembler.accept({ session: 't', seq: 1, total: 2, data: Uint8Array.of(2) }, '192.0.2.1'), { state: 'partial', received: 1, total: 2 });
    assert.equal(reassembler.openSessions, 1);
  });

  it('round-trips a query and its TXT answer through real DNS packets, splitting strings at 255 bytes', () => {
    const name = registrationQueryNames(sealed, ZONE, 'k3x9')[0]!;
    const query = decodeRegistrationQuery(encodeRegistrationQuery(name, 4242));
    assert.deepEqual(query, { id: 4242, name });
    const answer = JSON.stringify({ answer: 'x'.repeat(600), sig: 'c2ln' });
    assert.deepEqual(decodeRegistrationResponse(encodeRegistrationResponse(query, { text: answer })), { rcode: 'NOERROR', text: answer });
    assert.deepEqual(decodeRegistrationResponse(encodeRegistrationResponse(query, { rcode: 'REFUSED' })), { rcode: 'REFUSED', text: undefined });
    assert.deepEqual(decodeRegistrationResponse(encodeRegistrationResponse(query, { rcode: 'FORMERR' })), { rcode: 'FORMERR', text: undefined });
    assert.throws(() => decodeRegistrationQuery(Uint8Array.of(1, 2, 3)), refused('FORMERR', 'not a DNS message'));
  });
});
