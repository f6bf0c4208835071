import assert from 'node:assert/strict';
import { OracleKeys, RegistrationOpener, signedResponse } from '../../../../actors/split-broker/oracle/index.ts';
import { STR_NO_PROXIES } from '../../../../actors/split-broker/limits.ts';
import { decodeSealedBody, encodeClientPollResponse, type Registration } from '../../../../actors/split-broker/wire/index.ts';
import { realClock } from '../../../../lib/ports/clock.ts';
import { AnswerSignatureError, BrokerRequestError, HttpRendezvousClient, RendezvousRefusedError } from '../../../../actors/split-broker/client/index.ts';
import { oracleAnswer, startFakeHttp, type FakeHttp } from './fake-broker.ts';

describe('HTTP rendezvous client', () => {
  let keys: OracleKeys;
  let broker: FakeHttp | undefined;
  let client: HttpRendezvousClient | undefined;
  beforeEach(() => (keys = OracleKeys.generate()));
  afterEach(async () => {
    client?.close();
    await broker?.close();
    keys.dispose();
  });

  it('POSTs a 1.0 body to /client and returns the answer, over one kept-alive connection', async () => {
    broker = await startFakeHttp(() => ({ body: '{"answer":"sdp answer"}' }));
    client = new HttpRendezvousClient({ baseUrl: broker.baseUrl });
    assert.deepEqual(await client.register({ offer: 'sdp offer', nat: 'unrestricted' }), { answer: 'sdp answer', signed: false });
    assert.deepEqual(await client.register({ offer: 'sdp <2>', nat: 'restricted', fingerprint: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), { answer: 'sdp answer', signed: false });
    assert.deepEqual(
      broker.requests.map(({ method, url, body }) => ({ method, url, body })),
      [
        { method: 'POST', url: '/client', body: '1.0\n{"offer":"sdp offer","nat":"unrestricted","fingerprint":"2B280B23E1107BB62ABFC40DDCC8824814F80A72"}' },
        { method: 'POST', url: '/client', body: '1.0\n{"offer":"sdp \\u003c2\\u003e","nat":"restricted","fingerprint":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}' },
      ],
    );
    assert.equal(broker.requests[0]!.remotePort, broker.requests[1]!.remotePort);
  });

  it('seals a 2.0 registration only the Oracle opens and verifies the signed answer', async () => {
    const opened: Registration[] = [];
    const opener = new RegistrationOpener({ keys, clock: realClock });
    broker = await startFakeHttp(({ body }) => {
      const registration = opener.open(decodeSealedBody(body));
      opened.push(registration);
      return { body: encodeClientPollResponse(signedResponse(keys, registration.nonce, { answer: 'sdp answer' })) };
    });
    client = new HttpRendezvousClient({ baseUrl: broker.baseUrl, oracle: keys.publicKeys });
    const before = Math.floor(Date.now() / 1000);
    assert.deepEqual(await client.register({ offer: 'sdp offer', nat: 'restricted' }), { answer: 'sdp answer', signed: true });
    assert.match(broker.requests[0]!.body, /^2\.0\n[A-Za-z0-9+/]+={0,2}$/);
    const [{ nonce, ts, ...fields }] = opened as [Registration];
    assert.deepEqual(fields, { offer: 'sdp offer', nat: 'restricted', fingerprint: '2B280B23E1107BB62ABFC40DDCC8824814F80A72' });
    assert.match(nonce, /^[0-9a-f]{32}$/);
    assert.ok(ts >= before && ts <= Math.floor(Date.now() / 1000));
  });

  it('refuses an answer whose signed text was tampered with, or that another key signed', async () => {
    let tamper = true;
    broker = await startFakeHttp(({ body }) => {
      const signed = oracleAnswer(keys, body, { answer: 'sdp answer' });
      return { body: tamper ? signed.replace('sdp answer', 'sdp answeR') : signed };
    });
    client = new HttpRendezvousClient({ baseUrl: broker.baseUrl, oracle: keys.publicKeys });
    await assert.rejects(client.register({ offer: 'sdp offer', nat: 'restricted' }), (error) => error instanceof AnswerSignatureError && error.code === 'ANSWER_SIGNATURE');
    tamper = false;
    const other = OracleKeys.generate();
    const misled = new HttpRendezvousClient({ baseUrl: broker.baseUrl, oracle: { box: keys.publicKeys.box, sign: other.publicKeys.sign } });
    await assert.rejects(misled.register({ offer: 'sdp offer', nat: 'restricted' }), AnswerSignatureError);
    misled.close();
    other.dispose();
  });

  it('rejects with the broker\'s own error string, an HTTP status or a timeout, each typed', async () => {
    broker = await startFakeHttp(({ body }) =>
      body.includes('"nat":"unknown"') ? { body: `{"error":"${STR_NO_PROXIES}"}` } : body.includes('hang') ? 'hang' : { status: 400, body: '' },
    );
    client = new HttpRendezvousClient({ baseUrl: broker.baseUrl, timeoutMs: 200 });
    await assert.rejects(client.register({ offer: 'sdp', nat: 'unknown' }), (error) => error instanceof RendezvousRefusedError && error.reason === STR_NO_PROXIES && error.code === 'RENDEZVOUS_REFUSED');
    await assert.rejects(client.register({ offer: 'sdp', nat: 'restricted' }), (error) => error instanceof BrokerRequestError && error.failure === 'status' && error.status === 400);
    await assert.rejects(client.register({ offer: 'hang', nat: 'restricted' }), (error) => error instanceof BrokerRequestError && error.failure === 'timeout');
  });

  it('rejects an oversized response as oversized and leaves no timer behind to hold the process for its timeout', async () => {
    broker = await startFakeHttp(() => ({ body: 'x'.repeat(300_000) }));
    client = new HttpRendezvousClient({ baseUrl: broker.baseUrl, timeoutMs: 60_000 });
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    await assert.rejects(client.register({ offer: 'sdp offer', nat: 'unrestricted' }), (error) => error instanceof BrokerRequestError && error.failure === 'oversized');
    assert.equal(timers(), before);
  });

  it('rejects with BrokerRequestError when nothing listens', async () => {
    broker = await startFakeHttp(() => ({ body: '' }));
    const baseUrl = broker.baseUrl;
    await broker.close();
    broker = undefined;
    client = new HttpRendezvousClient({ baseUrl });
    await assert.rejects(client.register({ offer: 'sdp', nat: 'restricted' }), (error) => error instanceof BrokerRequestError && error.failure === 'network' && error.url === `${baseUrl}client`);
  });
});
