import assert from 'node:assert/strict';
import { OracleKeys } from '../../../../actors/split-broker/oracle/index.ts';
import { AMP_RESPONSE_HEADERS, RegistrationEncodingError, decodeAmpPath, encodeAmpArmor } from '../../../../actors/split-broker/wire/index.ts';
import { AnswerSignatureError, AmpRendezvousClient } from '../../../../actors/split-broker/client/index.ts';
import { oracleAnswer, startFakeHttp, type FakeHttp } from './fake-broker.ts';

/** The registration body an AMP request carries in its path. */
const bodyOf = (url: string) => Buffer.from(decodeAmpPath(url.slice('/amp/client/'.length))).toString('utf8');
const armored = (text: string) => ({ headers: { ...AMP_RESPONSE_HEADERS }, body: encodeAmpArmor(Buffer.from(text, 'utf8')) });

describe('AMP cache rendezvous client', () => {
  let keys: OracleKeys;
  let broker: FakeHttp;
  let client: AmpRendezvousClient | undefined;
  beforeEach(() => (keys = OracleKeys.generate()));
  afterEach(async () => {
    client?.close();
    await broker.close();
    keys.dispose();
  });

  it('GETs /amp/client/<path> carrying the 1.0 body behind a fresh cache breaker, and reads the armored answer', async () => {
    broker = await startFakeHttp(() => armored('{"answer":"sdp answer"}'));
    client = new AmpRendezvousClient({ baseUrl: broker.baseUrl });
    assert.deepEqual(await client.register({ offer: 'sdp offer', nat: 'unknown' }), { answer: 'sdp answer', signed: false });
    await client.register({ offer: 'sdp offer', nat: 'unknown' });
    const [first, second] = [broker.requests[0]!, broker.requests[1]!];
    assert.equal(first.method, 'GET');
    assert.match(first.url, /^\/amp\/client\/0[A-Za-z0-9_-]{12}\/[A-Za-z0-9_-]+$/);
    assert.equal(bodyOf(first.url), '1.0\n{"offer":"sdp offer","nat":"unknown","fingerprint":"2B280B23E1107BB62ABFC40DDCC8824814F80A72"}');
    assert.notEqual(first.url.split('/')[3], second.url.split('/')[3], 'each request breaks the cache anew');
  });

  it('carries a sealed 2.0 body and verifies the signed answer; a tampered one is refused', async () => {
    let tamper = false;
    broker = await startFakeHttp(({ url }) => {
      const signed = oracleAnswer(keys, bodyOf(url), { answer: 'sdp answer' });
      return armored(tamper ? signed.replace('sdp answer', 'sdp answeR') : signed);
    });
    client = new AmpRendezvousClient({ baseUrl: broker.baseUrl, oracle: keys.publicKeys });
    assert.deepEqual(await client.register({ offer: 'sdp offer', nat: 'restricted' }), { answer: 'sdp answer', signed: true });
    assert.match(bodyOf(broker.requests[0]!.url), /^2\.0\n[A-Za-z0-9+/]+={0,2}$/);
    tamper = true;
    await assert.rejects(client.register({ offer: 'sdp offer', nat: 'restricted' }), AnswerSignatureError);
  });

  it('refuses a page that is not AMP armor with a typed error', async () => {
    broker = await startFakeHttp(() => ({ body: '<html><pre>1abc</pre></html>' }));
    client = new AmpRendezvousClient({ baseUrl: broker.baseUrl });
    await assert.rejects(
      client.register({ offer: 'sdp', nat: 'unknown' }),
      (error) => error instanceof RegistrationEncodingError && error.encoding === 'amp-armor' && error.reason === "unknown armor version indicator '1'",
    );
  });
});
