import assert from 'node:assert/strict';
import { rendezvous } from './loopback.ts';
import { series, startBroker, type Broker } from './fixture.ts';

describe('split broker, end to end in one process (real loopback sockets)', function () {
  this.timeout(20_000);
  let broker: Broker;
  beforeEach(async () => (broker = await startBroker()));
  afterEach(() => broker.stop());

  for (const method of ['http', 'amp', 'dns'] as const) {
    it(`a client registering over ${method} gets a matched proxy's answer, signed by the Oracle for its nonce`, async () => {
      // rendezvous() throws unless verifyAnswer accepts the signature over this registration's nonce.
      assert.equal(await rendezvous(method, broker.ports, broker.keys, '1'), 'answer of proxy-1 to offer of client-1');
      assert.equal(series(await broker.metrics('edge'), `snowflake_registrations_total{method="${method}",version="2.0"}`), 1);
      assert.equal(series(await broker.metrics('keyholder'), 'snowflake_oracle_registrations_total{version="2.0"}'), 1);
      assert.equal(series(await broker.metrics('core'), 'snowflake_client_poll_total{nat="unrestricted",status="matched"}'), 1);
    });
  }

  it('serves each node\'s figures as Prometheus text at /metrics, with Snowflake\'s series', async () => {
    await rendezvous('http', broker.ports, broker.keys, '1');
    const core = await broker.metrics('core');
    assert.match(core, /^# TYPE snowflake_available_proxies gauge$/m);
    assert.match(core, /^# TYPE snowflake_proxy_poll_total counter$/m);
    assert.equal(series(core, 'snowflake_proxy_poll_total{nat="unrestricted",type="standalone",status="matched"}'), 1);
    assert.equal(series(core, 'snowflake_available_proxies{nat="unrestricted",type="standalone"}'), 0);
    assert.equal(series(core, 'snowflake_proxy_answer_total{status="success"}'), 1);
    assert.match(await broker.metrics('edge'), /^# TYPE snowflake_registrar_refusals_total counter$/m);
    assert.match(await broker.metrics('keyholder'), /^# TYPE snowflake_oracle_rejections_total counter$/m);
    // The edge's registry knows nothing of the core's series: one registry per node.
    assert.doesNotMatch(await broker.metrics('edge'), /snowflake_proxy_poll_total/);
  });

  it('1.0 plaintext registrations (today\'s Tor clients) are validated by the Oracle and matched, unsigned', async () => {
    const { post, pollAsProxy, answerAsProxy } = await import('./loopback.ts');
    const proxy = pollAsProxy(broker.ports.http, 'p1').then((poll) => answerAsProxy(broker.ports.http, 'p1', `answer to ${poll.offer}`));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const reply = await post(broker.ports.http, '/client', '1.0\n{"offer":"plain offer","nat":"unrestricted","fingerprint":""}');
    assert.deepEqual([reply.status, reply.body], [200, '{"answer":"answer to plain offer"}']);
    assert.equal(await proxy, true);
  });
});
