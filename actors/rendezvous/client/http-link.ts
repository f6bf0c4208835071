import http from 'node:http';
import { realClock, type Clock } from '../../../lib/ports/clock.ts';
import type { HostPort, Network } from '../../../lib/ports/network.ts';
import { realNetwork } from '../../../lib/ports/real-network.ts';
import { RendezvousUnavailableError } from '../errors.ts';
import { CLIENT_TIMEOUT_MS, MAX_RESPONSE_BYTES } from '../limits.ts';
import { hashToHex } from '../wire/bucket-id.ts';
import { bucketIdFrom, linksFrom, refusalError, type RendezvousServer } from './server-link.ts';

export interface HttpRendezvousOptions {
  /** Where connections come from (the real network unless given: a simulation hands its own). */
  network?: Network;
  /** Times the deadline. */
  clock?: Clock;
  timeoutMs?: number;
}

interface Response {
  status: number;
  body: Buffer;
}

/**
 * The rendezvous server over HTTP, one connection per request through the Network port, so the
 * same client runs on a simulated network. `server` is where the endpoint listens.
 */
export function httpRendezvous(server: HostPort, options: HttpRendezvousOptions = {}): RendezvousServer {
  const network = options.network ?? realNetwork;
  const clock = options.clock ?? realClock;
  const timeoutMs = options.timeoutMs ?? CLIENT_TIMEOUT_MS;

  const request = async (method: 'GET' | 'POST', path: string, body?: Uint8Array): Promise<Response> => {
    let connection;
    try {
      connection = await network.dial(server);
    } catch (error) {
      throw new RendezvousUnavailableError('network', error instanceof Error ? error.message : String(error), { cause: error });
    }
    const stream = connection.stream;
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        stream.destroy();
        outcome();
      };
      const fail = (failure: 'network' | 'timeout' | 'malformed', detail: string, cause?: unknown) => finish(() => reject(new RendezvousUnavailableError(failure, detail, { cause })));
      const timer = clock.setTimer(timeoutMs, () => fail('timeout', `no answer within ${timeoutMs} ms`));
      const headers: http.OutgoingHttpHeaders = { Connection: 'close', Host: `${server.host}:${server.port}` };
      if (body) Object.assign(headers, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
      const outgoing = http.request({ method, path, headers, createConnection: () => stream }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) fail('malformed', `an answer over ${MAX_RESPONSE_BYTES} bytes`);
          else chunks.push(chunk);
        });
        response.on('end', () => finish(() => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) })));
        response.on('error', (error) => fail('network', error.message, error));
      });
      outgoing.on('error', (error) => fail('network', error.message, error));
      stream.on('error', (error: Error) => fail('network', error.message, error));
      outgoing.end(body);
    });
  };

  /** A status the protocol does not use, or a refusal (its name in the body). */
  const unexpected = (response: Response, operation: 'store' | 'fetch') => {
    const text = response.body.subarray(0, 64).toString('latin1');
    if (response.status >= 400 && /^[A-Z_]+$/.test(text)) return refusalError(text, operation);
    return new RendezvousUnavailableError('status', `HTTP ${response.status}`);
  };

  return {
    async store(link) {
      const response = await request('POST', '/links', link);
      if (response.status !== 201) throw unexpected(response, 'store');
      return bucketIdFrom(response.body);
    },
    async fetch(hash) {
      const response = await request('GET', `/buckets/${hashToHex(hash)}`);
      if (response.status !== 200) throw unexpected(response, 'fetch');
      return linksFrom(response.body);
    },
  };
}
