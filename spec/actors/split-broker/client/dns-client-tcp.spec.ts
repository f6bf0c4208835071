import assert from 'node:assert/strict';
import { DnsRendezvousClient } from '../../../../actors/split-broker/client/index.ts';
import { answerAsProxy, pollAsProxy } from '../loopback.ts';
import { startBroker, ZONE, type Broker } from '../fixture.ts';

describe('DNS rendezvous client against the DNS registrar: an answer too large for UDP', function () {
  this.timeout(30_000);
  let broker: Broker;
  beforeEach(async () => (broker = await startBroker()));
  afterEach(() => broker.stop());

  it('asks again over TCP when the reply is truncated (TC) and verifies the whole answer (about 2,000 bytes)', async () => {
    const offer = 'o'.repeat(1_800);
    const proxy = pollAsProxy(broker.ports.http, 'tcp-proxy').then((poll) => answerAsProxy(broker.ports.http, 'tcp-proxy', `answer to ${poll.offer}`));
    // The proxy's poll must reach the Matcher before the registration; 50 ms is ample on loopback.
    await new Promise((resolve) => setTimeout(resolve, 50));
    // 10 s: ten times what a registration of 20 chunks and a TCP query take on a busy loopback.
    const client = new DnsRendezvousClient({ server: { host: '127.0.0.1', port: broker.ports.dns }, zone: ZONE, oracle: broker.keys, timeoutMs: 10_000 });
    const { answer, signed } = await client.register({ offer, nat: 'unrestricted' });
    assert.equal(answer, `answer to ${offer}`);
    assert.equal(signed, true);
    assert.equal(await proxy, true);
  });
});
