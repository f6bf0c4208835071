import assert from 'node:assert/strict';
import { encodeAnswerResponse, encodeNoMatch, encodeProxyMatch, type ProxyMatch } from '../../../../actors/split-broker/wire/index.ts';
import { BrokerRequestError, ProxyClient, type ProxyRound } from '../../../../actors/split-broker/client/index.ts';
import { startFakeHttp, type FakeHttp, type RecordedRequest } from './fake-broker.ts';

const MATCH: ProxyMatch = { offer: '{"type":"offer","sdp":"v=0"}', nat: 'unrestricted', relayURL: 'wss://snowflake.torproject.net/' };
const sidOf = (body: string) => (JSON.parse(body) as { Sid: string }).Sid;

describe('proxy client', () => {
  let broker: FakeHttp;
  let proxy: ProxyClient | undefined;
  afterEach(async () => {
    proxy?.close();
    await broker.close();
  });

  it('polls with a v1.3 body, keeps its session id while idle, answers a match with the same id, then draws a new one', async () => {
    const script = [encodeNoMatch(), encodeProxyMatch(MATCH), encodeAnswerResponse('success'), encodeNoMatch()];
    broker = await startFakeHttp(() => ({ body: script.shift()! }));
    const offers: ProxyMatch[] = [];
    proxy = new ProxyClient({ baseUrl: broker.baseUrl, nat: 'restricted', clients: () => 8, answer: (match) => (offers.push(match), '{"type":"answer","sdp":"v=0"}') });
    const rounds: ProxyRound[] = [await proxy.pollOnce(), await proxy.pollOnce(), await proxy.pollOnce()];
    assert.deepEqual(rounds, [{ outcome: 'idle', status: 'no match' }, { outcome: 'answered', match: MATCH, delivered: true }, { outcome: 'idle', status: 'no match' }]);
    assert.deepEqual(offers, [MATCH]);
    const [first, second, answer, third] = [0, 1, 2, 3].map((i) => broker.requests[i]!) as [RecordedRequest, RecordedRequest, RecordedRequest, RecordedRequest];
    const sid = sidOf(first.body);
    assert.match(sid, /^[A-Za-z0-9+/]{22}$/);
    assert.deepEqual(broker.requests.map(({ method, url }) => `${method} ${url}`), ['POST /proxy', 'POST /proxy', 'POST /answer', 'POST /proxy']);
    assert.equal(first.body, `{"Sid":"${sid}","Version":"1.3","Type":"standalone","NAT":"restricted","Clients":8,"AcceptedRelayPattern":"snowflake.torproject.net$"}`);
    assert.equal(second.body, first.body);
    assert.equal(answer.body, `{"Version":"1.3","Sid":"${sid}","Answer":"{\\"type\\":\\"answer\\",\\"sdp\\":\\"v=0\\"}"}`);
    assert.notEqual(sidOf(third.body), sid);
  });

  it('reports a client that had gone, and a refused poll as a typed error', async () => {
    const script = [{ body: encodeProxyMatch(MATCH) }, { body: encodeAnswerResponse('client gone') }, { status: 400, body: '' }];
    broker = await startFakeHttp(() => script.shift()!);
    proxy = new ProxyClient({ baseUrl: broker.baseUrl, nat: 'unknown', type: 'webext', acceptedRelayPattern: '^127.0.0.1$', answer: () => 'sdp' });
    assert.deepEqual(await proxy.pollOnce(), { outcome: 'answered', match: MATCH, delivered: false });
    assert.match(broker.requests[0]!.body, /"Type":"webext","NAT":"unknown","Clients":0,"AcceptedRelayPattern":"\^127\.0\.0\.1\$"\}$/);
    await assert.rejects(proxy.pollOnce(), (error) => error instanceof BrokerRequestError && error.status === 400 && error.url === `${broker.baseUrl}proxy`);
  });

  it('runs a poll loop until aborted, pausing between polls', async () => {
    broker = await startFakeHttp(() => ({ body: encodeNoMatch() }));
    proxy = new ProxyClient({ baseUrl: broker.baseUrl, nat: 'unrestricted', answer: () => 'sdp' });
    const stop = new AbortController();
    const rounds: ProxyRound[] = [];
    const started = Date.now();
    await proxy.run(stop.signal, 30, (round) => rounds.length < 3 ? rounds.push(round) : stop.abort());
    assert.deepEqual(rounds, Array(3).fill({ outcome: 'idle', status: 'no match' }));
    assert.equal(broker.requests.length, 4);
    assert.ok(Date.now() - started >= 90);
  });
});
