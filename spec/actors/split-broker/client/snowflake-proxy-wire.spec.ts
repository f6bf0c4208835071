import assert from 'node:assert/strict';
import { decodeAnswerRequest, decodeProxyPollRequest, encodeAnswerResponse, encodeNoMatch, encodeProxyMatch } from '../../../../actors/split-broker/wire/index.ts';
import { proxyPollBody } from '../../../../actors/split-broker/client/index.ts';
import { requireSnowflakeProxy, startSnowflakeProxy, type RunningSnowflakeProxy } from '../../../support/snowflake-proxy.ts';
import { SDP_OFFER as OFFER } from '../sdp-offer.ts';
import { startFakeHttp, type FakeHttp } from './fake-broker.ts';

const RELAY = 'ws://127.0.0.1:9/';

describe('the real snowflake-proxy on the wire', function () {
  this.timeout(40_000);
  let broker: FakeHttp;
  let proxy: RunningSnowflakeProxy | undefined;
  afterEach(async () => {
    await proxy?.stop();
    await broker.close();
  });

  it('polls with a v1.3 body airlock parses, keeps polling after "no match", and POSTs /answer for a client match', async () => {
    assert.match(requireSnowflakeProxy(), /snowflake-proxy 2\.\d+\.\d+/);
    let polls = 0;
    let answered: () => void = () => {};
    const answerPosted = new Promise<void>((resolve) => (answered = resolve));
    broker = await startFakeHttp(({ url }) => {
      if (url === '/answer') {
        answered();
        return { body: encodeAnswerResponse('success') };
      }
      polls++;
      return { body: polls === 2 ? encodeProxyMatch({ offer: OFFER, nat: 'unrestricted', relayURL: RELAY }) : encodeNoMatch() };
    });
    proxy = await startSnowflakeProxy({ brokerUrl: broker.baseUrl, relayUrl: RELAY });
    await answerPosted;

    const [first, second, answer] = [broker.requests[0]!, broker.requests[1]!, broker.requests[2]!];
    assert.deepEqual(broker.requests.map(({ method, url }) => `${method} ${url}`), ['POST /proxy', 'POST /proxy', 'POST /answer']);
    const poll = decodeProxyPollRequest(first.body);
    assert.match(poll.sid, /^[A-Za-z0-9+/]{22}$/);
    assert.deepEqual(poll, { sid: poll.sid, version: '1.3', type: 'standalone', nat: 'unknown', clients: 0, acceptedRelayPattern: '^127.0.0.1$' });
    // Byte for byte what airlock's own proxy client sends for the same identity.
    assert.equal(first.body, proxyPollBody({ sid: poll.sid, nat: 'unknown', acceptedRelayPattern: '^127.0.0.1$' }));
    assert.equal(second.body, first.body, 'after "no match" it polls again with the same session id');

    const { sid, answer: sdpAnswer } = decodeAnswerRequest(answer.body);
    assert.equal(sid, poll.sid);
    const description = JSON.parse(sdpAnswer) as { type: string; sdp: string };
    assert.equal(description.type, 'answer');
    assert.match(description.sdp, /^v=0\r\n[\s\S]*a=setup:active\r\n[\s\S]*a=mid:data\r\n/);
    assert.equal(answer.body, `{"Version":"1.3","Sid":"${sid}","Answer":${JSON.stringify(sdpAnswer)}}`);

    assert.ok(proxy.lines.some(({ message }) => message === 'NAT type: unknown'));
    assert.ok(proxy.lines.some(({ message }) => message === 'sdp offer successfully received.'));
  });
});
