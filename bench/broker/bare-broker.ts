/**
 * The baseline of the broker benchmark: Snowflake's rendezvous in one file of plain Node `http`,
 * no actors, no supervision, no Oracle. Proxies long-poll `POST /proxy` and wait in an array; a
 * `POST /client` (1.0) takes the oldest waiting proxy, hands it the offer and waits in a Map by
 * the proxy's session id until `POST /answer` arrives. It decodes and encodes with the same
 * actors/split-broker/wire codec as airlock's registrars, so the comparison measures everything else.
 * (No NAT pairing rules: the load is all "unknown" proxies and "unrestricted" clients anyway.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  decodeAnswerRequest,
  decodeClientPollRequest,
  decodeProxyPollRequest,
  encodeAnswerResponse,
  encodeClientPollResponse,
  encodeNoMatch,
  encodeProxyMatch,
} from '../../actors/split-broker/wire/index.ts';
import { PROXY_TIMEOUT_MS, STR_NO_PROXIES, STR_TIMED_OUT } from '../../actors/split-broker/index.ts';

export interface BareBrokerOptions {
  /** How long a proxy's poll and a client's wait last (Snowflake: 10 s each). */
  timeoutMs?: number;
  relayURL?: string;
}

export interface BareBroker {
  baseUrl: string;
  close(): Promise<void>;
}

interface WaitingProxy {
  sid: string;
  respond: (body: string) => void;
}

export async function startBareBroker(options: BareBrokerOptions = {}): Promise<BareBroker> {
  const timeoutMs = options.timeoutMs ?? PROXY_TIMEOUT_MS;
  const relayURL = options.relayURL ?? 'wss://snowflake.torproject.net/';
  const proxies: WaitingProxy[] = [];
  const clients = new Map<string, (body: string) => void>();

  const routes: Record<string, (body: string, reply: (status: number, body: string) => void) => void> = {
    '/proxy'(body, reply) {
      const { sid } = decodeProxyPollRequest(body);
      const waiting: WaitingProxy = { sid, respond: (text) => (clearTimeout(timer), reply(200, text)) };
      const timer = setTimeout(() => {
        proxies.splice(proxies.indexOf(waiting), 1);
        reply(200, encodeNoMatch());
      }, timeoutMs);
      proxies.push(waiting);
    },
    '/client'(body, reply) {
      const { offer } = decodeClientPollRequest(body);
      const proxy = proxies.shift();
      if (!proxy) return reply(200, encodeClientPollResponse({ error: STR_NO_PROXIES }));
      const timer = setTimeout(() => {
        clients.delete(proxy.sid);
        reply(200, encodeClientPollResponse({ error: STR_TIMED_OUT }));
      }, timeoutMs);
      clients.set(proxy.sid, (answer) => (clearTimeout(timer), reply(200, encodeClientPollResponse({ answer }))));
      proxy.respond(encodeProxyMatch({ offer, nat: 'unrestricted', relayURL }));
    },
    '/answer'(body, reply) {
      const { sid, answer } = decodeAnswerRequest(body);
      const client = clients.get(sid);
      clients.delete(sid);
      client?.(answer);
      reply(200, encodeAnswerResponse(client ? 'success' : 'client gone'));
    },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = (status: number, body: string) => res.writeHead(status).end(body);
      const route = req.method === 'POST' ? routes[req.url ?? ''] : undefined;
      if (!route) return reply(404, '');
      try {
        route(Buffer.concat(chunks).toString('utf8'), reply);
      } catch {
        reply(400, '');
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
