import assert from 'node:assert/strict';
import { HttpRendezvousClient } from '../../../actors/split-broker/client/index.ts';
import { DEFAULT_RELAY_PATTERN } from '../../../actors/split-broker/index.ts';
import { requireSnowflakeProxy, startSnowflakeProxy, type RunningSnowflakeProxy } from '../../support/snowflake-proxy.ts';
import { series, startBroker, type Broker } from './fixture.ts';
import { SDP_OFFER } from './sdp-offer.ts';
import { until } from '../../support/fixtures.ts';

/** The relay the Matcher hands out by default; the proxy must accept it (its pattern covers the broker's). */
const RELAY = 'wss://snowflake.torproject.net/';
const WAITING_UNKNOWN = 'snowflake_available_proxies{nat="unknown",type="standalone"}';


describe('split broker with Tor\'s real snowflake-proxy (one process, loopback)', function () {
  this.timeout(30_000);
  let broker: Broker;
  let proxy: RunningSnowflakeProxy | undefined;
  let client: HttpRendezvousClient | undefined;
  afterEach(async () => {
    client?.close();
    await proxy?.stop();
    await broker.stop();
  });

  it('a sealed 2.0 client registration reaches the real proxy, whose SDP answer comes back signed and verified', async () => {
    requireSnowflakeProxy();
    broker = await startBroker();
    proxy = await startSnowflakeProxy({ brokerUrl: `http://127.0.0.1:${broker.ports.http}/`, relayUrl: RELAY, relayPattern: DEFAULT_RELAY_PATTERN });
    // Its first poll comes ~5 s after start; without a network its NAT probe fails: "unknown".
    await until(async () => series(await broker.metrics('core'), WAITING_UNKNOWN) === 1, 'the real proxy waiting in the Matcher', { withinMs: 15_000, everyMs: 100 });

    client = new HttpRendezvousClient({ baseUrl: `http://127.0.0.1:${broker.ports.http}/`, oracle: broker.keys });
    const { answer, signed } = await client.register({ offer: SDP_OFFER, nat: 'unrestricted' });

    assert.equal(signed, true);
    const description = JSON.parse(answer) as { type: string; sdp: string };
    assert.equal(description.type, 'answer');
    assert.match(description.sdp, /^v=0\r\n[\s\S]*a=setup:active\r\n[\s\S]*a=mid:data\r\n/);
    assert.ok(proxy.lines.some(({ message }) => message === 'NAT type: unknown'));
    await proxy.waitForLine(/^sdp offer successfully received\.$/, 1_000);
    const core = await broker.metrics('core');
    assert.equal(series(core, 'snowflake_proxy_poll_total{nat="unknown",type="standalone",status="matched"}'), 1);
    assert.equal(series(core, 'snowflake_client_poll_total{nat="unrestricted",status="matched"}'), 1);
    assert.equal(series(core, 'snowflake_proxy_answer_total{status="success"}'), 1);
  });
});
