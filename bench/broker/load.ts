/**
 * The broker benchmark's load: P proxies polling without pause and C clients registering one
 * after another, all over HTTP on loopback with airlock's own client library, for a fixed time.
 * A rendezvous is complete when a client holds its proxy's answer; its latency is from the
 * client's POST to that answer. Clients told "no proxies" try again at once (counted apart), as do
 * clients and proxies whose request failed on the way (counted as `failed`).
 */
import http from 'node:http';
import type { OraclePublicKeys } from '../../actors/split-broker/oracle/index.ts';
import { BrokerRequestError, HttpRendezvousClient, ProxyClient, RendezvousRefusedError } from '../../actors/split-broker/client/index.ts';
import { percentile } from '../figures.ts';

export interface LoadOptions {
  baseUrl: string;
  proxies: number;
  clients: number;
  durationMs: number;
  /** Measured after this much warm-up (connections open, JIT warm). */
  warmupMs?: number;
  /** Seal registrations (2.0) for this Oracle; absent, 1.0 plaintext. */
  oracle?: OraclePublicKeys;
  /** Called (and awaited) just before the measured window opens and just after it closes. */
  window?: { opening(): Promise<void> | void; closed(): Promise<void> | void };
}

export interface LoadResult {
  rendezvousPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  completed: number;
  /** Registrations answered with a broker error (no proxy free, or timed out). */
  refused: number;
  /** Requests that failed on the way (e.g. a kept-alive connection reset); the loop goes on. */
  failed: number;
}

const FAKE_ANSWER = JSON.stringify({ type: 'answer', sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' });
const FAKE_OFFER = JSON.stringify({ type: 'offer', sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' });

export async function runRendezvousLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true });
  const stop = new AbortController();
  const latencies: number[] = [];
  let refused = 0;
  let failed = 0;
  let measuring = false;

  const proxies = Array.from({ length: options.proxies }, () =>
    new ProxyClient({ baseUrl: options.baseUrl, agent, nat: 'unknown', answer: () => FAKE_ANSWER }),
  );
  const proxyLoop = async (proxy: ProxyClient) => {
    while (!stop.signal.aborted) await proxy.run(stop.signal, 0).catch(() => void failed++);
  };
  const proxyLoops = proxies.map(proxyLoop);

  const clientLoop = async () => {
    const client = new HttpRendezvousClient({ baseUrl: options.baseUrl, agent, oracle: options.oracle });
    while (!stop.signal.aborted) {
      const started = performance.now();
      try {
        await client.register({ offer: FAKE_OFFER, nat: 'unrestricted' });
        if (measuring) latencies.push(performance.now() - started);
      } catch (error) {
        if (stop.signal.aborted) break;
        if (error instanceof RendezvousRefusedError) refused += measuring ? 1 : 0;
        else if (error instanceof BrokerRequestError) failed++;
        else throw error;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  };
  // Let the proxies' first polls park before clients arrive.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const clientLoops = Array.from({ length: options.clients }, clientLoop);

  await new Promise((resolve) => setTimeout(resolve, options.warmupMs ?? 500));
  await options.window?.opening();
  measuring = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, options.durationMs));
  measuring = false;
  const elapsedS = (performance.now() - started) / 1000;
  await options.window?.closed();
  stop.abort();
  await Promise.all(clientLoops);
  agent.destroy();
  await Promise.all(proxyLoops);
  return {
    rendezvousPerSecond: latencies.length / elapsedS,
    p50Ms: percentile(latencies, 50) ?? NaN,
    p99Ms: percentile(latencies, 99) ?? NaN,
    completed: latencies.length,
    refused,
    failed,
  };
}
