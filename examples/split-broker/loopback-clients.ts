/**
 * One rendezvous on loopback, as Snowflake's proxies and clients make it, with airlock's client
 * library (`airlock/clients`): a proxy polls over HTTP, a client registers by HTTP, the AMP
 * cache's path or DNS, sealed for the Oracle, and verifies the Oracle's signature on the answer.
 */
import { AmpRendezvousClient, DnsRendezvousClient, HttpRendezvousClient, ProxyClient, RendezvousRefusedError, STR_NO_PROXIES } from '../../actors/split-broker/client/index.ts';
import type { OraclePublicKeys, RendezvousAnswer, RendezvousOffer } from '../../actors/split-broker/client/index.ts';

export type Method = 'http' | 'amp' | 'dns';
export interface BrokerPorts {
  http: number;
  amp: number;
  dns: number;
  zone: string;
}

/** The client of each method: the same `register`, a different road. */
function clientFor(method: Method, ports: BrokerPorts, oracle: OraclePublicKeys): { register(offer: RendezvousOffer): Promise<RendezvousAnswer>; close?(): void } {
  if (method === 'dns') return new DnsRendezvousClient({ server: { host: '127.0.0.1', port: ports.dns }, zone: ports.zone, oracle });
  return new (method === 'http' ? HttpRendezvousClient : AmpRendezvousClient)({ baseUrl: `http://127.0.0.1:${ports[method]}/`, oracle });
}

/** One rendezvous by `method`; resolves with the proxy's answer, its signature verified. */
export async function rendezvous(method: Method, ports: BrokerPorts, keys: OraclePublicKeys, id: string): Promise<string> {
  const sid = `proxy-${id}`;
  const proxyClient = new ProxyClient({ baseUrl: `http://127.0.0.1:${ports.http}/`, nat: 'unrestricted', answer: (match) => `answer of ${sid} to ${match.offer}` });
  const client = clientFor(method, ports, keys);
  try {
    const proxy = proxyClient.pollOnce().then((round) => {
      if (round.outcome !== 'answered') throw new Error(`proxy ${sid}: ${round.status}`);
    });
    // The proxy's poll must reach the Matcher first; a client told "no proxies" tries again, freshly sealed.
    for (let attempt = 0; ; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      try {
        const { answer, signed } = await client.register({ offer: `offer of client-${id}`, nat: 'unrestricted' });
        if (!signed) throw new Error(`client-${id}: the answer is not signed`);
        await proxy;
        return answer;
      } catch (error) {
        if (!(error instanceof RendezvousRefusedError && error.reason === STR_NO_PROXIES) || attempt === 5) throw error;
      }
    }
  } finally {
    proxyClient.close();
    client.close?.();
  }
}
