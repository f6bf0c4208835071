import assert from 'node:assert/strict';
import { OracleKeys, RegistrationOpener, signedResponse } from '../../../../actors/split-broker/oracle/index.ts';
import { parseRegistrationName } from '../../../../actors/split-broker/wire/index.ts';
import { encodeClientPollResponse } from '../../../../actors/split-broker/wire/index.ts';
import { AnswerSignatureError, BrokerRequestError, DnsRendezvousClient } from '../../../../actors/split-broker/client/index.ts';
import { realClock } from '../../../../lib/ports/clock.ts';
import { VirtualClock } from '../../../../lib/ports/virtual-clock.ts';
import { until } from '../../../support/fixtures.ts';
import { startFakeDns, type FakeDns } from './fake-broker.ts';

const ZONE = 'reg.airlock.test';

describe('DNS rendezvous client', () => {
  let keys: OracleKeys;
  let registrar: FakeDns;
  let opener: RegistrationOpener;
  const answer = (response: { answer?: string; error?: string }) => (sealed: Uint8Array) =>
    encodeClientPollResponse(signedResponse(keys, opener.open(sealed).nonce, response));
  beforeEach(() => {
    keys = OracleKeys.generate();
    opener = new RegistrationOpener({ keys, clock: realClock });
  });
  afterEach(async () => {
    await registrar.close();
    keys.dispose();
  });

  it('sends the sealed registration in chunked TXT queries and verifies the answer from TXT records', async () => {
    registrar = await startFakeDns(ZONE, answer({ answer: 'sdp answer' }));
    const client = new DnsRendezvousClient({ server: registrar.server, zone: ZONE, oracle: keys.publicKeys });
    const offer = 'v=0 '.repeat(100);
    assert.deepEqual(await client.register({ offer, nat: 'restricted' }), { answer: 'sdp answer', signed: true });
    const chunks = registrar.names.map((name) => parseRegistrationName(name, ZONE));
    const sealedLength = 48 + Buffer.byteLength(JSON.stringify({ offer, nat: 'restricted', fingerprint: '2B280B23E1107BB62ABFC40DDCC8824814F80A72', nonce: '0'.repeat(32), ts: 0 })) + String(Math.floor(Date.now() / 1000)).length - 1;
    const total = Math.ceil(sealedLength / 100);
    assert.deepEqual(chunks.map(({ seq, total }) => `${seq}/${total}`), Array.from({ length: total }, (_, seq) => `${seq}/${total}`));
    assert.equal(new Set(chunks.map(({ session }) => session)).size, 1);
    assert.match(chunks[0]!.session, /^[a-z2-7]{16}$/);
    assert.deepEqual(chunks.map(({ data }) => data.length), [...Array(total - 1).fill(100), sealedLength - 100 * (total - 1)]);
  });

  it('survives a dropped datagram: the query is sent again and the registration completes once', async () => {
    registrar = await startFakeDns(ZONE, answer({ answer: 'sdp answer' }), (name, count) => parseRegistrationName(name, ZONE).seq === 1 && count === 1);
    const client = new DnsRendezvousClient({ server: registrar.server, zone: ZONE, oracle: keys.publicKeys, retryMs: 50 });
    assert.deepEqual(await client.register({ offer: 'sdp '.repeat(60), nat: 'unknown' }), { answer: 'sdp answer', signed: true });
    const seqs = registrar.names.map((name) => parseRegistrationName(name, ZONE).seq);
    assert.deepEqual(seqs.slice(0, 3), [0, 1, 1]);
    assert.equal(seqs.filter((seq) => seq === 1).length, 2);
  });

  it('refuses a tampered answer and reports a refusal RCODE or silence as typed errors', async () => {
    registrar = await startFakeDns(ZONE, (sealed) => answer({ answer: 'sdp answer' })(sealed).replace('sdp answer', 'sdp answeR'));
    await assert.rejects(new DnsRendezvousClient({ server: registrar.server, zone: ZONE, oracle: keys.publicKeys }).register({ offer: 'sdp', nat: 'unknown' }), AnswerSignatureError);
    const outside = new DnsRendezvousClient({ server: registrar.server, zone: 'elsewhere.test', oracle: keys.publicKeys });
    await assert.rejects(outside.register({ offer: 'sdp', nat: 'unknown' }), (error) => error instanceof BrokerRequestError && error.failure === 'refused' && error.rcode === 'REFUSED');
    await registrar.close();
    registrar = await startFakeDns(ZONE, answer({ answer: 'x' }), () => true);
    const unheard = new DnsRendezvousClient({ server: registrar.server, zone: ZONE, oracle: keys.publicKeys, retryMs: 40, timeoutMs: 200 });
    await assert.rejects(unheard.register({ offer: 'sdp', nat: 'unknown' }), (error) => error instanceof BrokerRequestError && error.failure === 'timeout');
    assert.equal(registrar.names.length >= 4, true, 'the unanswered query was sent again');
  });

  it('times its retries and its deadline on the clock it is given: one query per retryMs, a timeout at the deadline', async () => {
    registrar = await startFakeDns(ZONE, answer({ answer: 'x' }), () => true);
    const clock = new VirtualClock();
    const client = new DnsRendezvousClient({ server: registrar.server, zone: ZONE, oracle: keys.publicKeys, retryMs: 1_000, timeoutMs: 3_500, clock });
    const outcome = client.register({ offer: 'sdp', nat: 'unknown' }).then(() => 'answered', (error: unknown) => error);
    // Each query crosses a real UDP socket: wait for it to arrive, then move the virtual time on.
    await until(() => registrar.names.length === 1, 'the first query');
    for (const sent of [2, 3, 4]) {
      await clock.advance(1_000);
      await until(() => registrar.names.length === sent, `query ${sent}, ${sent - 1} s of virtual time later`);
    }
    await clock.advance(500);
    const error = await outcome;
    assert.ok(error instanceof BrokerRequestError && error.failure === 'timeout', `at the deadline: ${String(error)}`);
    assert.equal(registrar.names.length, 4, 'nothing is sent after the deadline');
    assert.equal(new Set(registrar.names).size, 1, 'the same query each time');
  });
});
