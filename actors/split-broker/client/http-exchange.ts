import http from 'node:http';
import { realClock, type Clock } from '../../../lib/ports/clock.ts';
import { CLIENT_REQUEST_TIMEOUT_MS, MAX_RESPONSE_BYTES } from '../limits.ts';
import { BrokerRequestError } from './errors.ts';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface HttpExchangeOptions {
  /** The broker's (or cache's) base URL; request paths resolve against it, e.g. `http://127.0.0.1:8080/`. */
  baseUrl: string;
  timeoutMs?: number;
  /** Shared across requests to keep connections open; one with `keepAlive` is made when absent. */
  agent?: http.Agent;
  /** Times the deadlines (the real clock unless given: a test or a simulation may drive its own). */
  clock?: Clock;
}

/**
 * One HTTP request at a time per call, over a keep-alive agent: resolves with the status and the
 * whole (bounded) body, or rejects with `BrokerRequestError` on a network failure, a timeout or
 * an oversized response. Status codes are left to the caller, which knows what each means.
 */
export class HttpExchange {
  readonly baseUrl: URL;
  readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly agent: http.Agent;
  private readonly ownsAgent: boolean;

  constructor(options: HttpExchangeOptions) {
    this.baseUrl = new URL(options.baseUrl);
    if (this.baseUrl.protocol !== 'http:') throw new TypeError(`only http: base URLs are supported, not ${this.baseUrl.protocol}`);
    this.timeoutMs = options.timeoutMs ?? CLIENT_REQUEST_TIMEOUT_MS;
    this.clock = options.clock ?? realClock;
    this.ownsAgent = !options.agent;
    this.agent = options.agent ?? new http.Agent({ keepAlive: true });
  }

  request(method: 'GET' | 'POST', path: string, body?: string): Promise<HttpResponse> {
    const url = new URL(path, this.baseUrl);
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) => {
      // Every way out clears the timer, or a settled request would hold the process until its timeout.
      const fail = (failure: 'network' | 'timeout' | 'oversized', detail: string, cause?: unknown) => {
        timer.cancel();
        reject(new BrokerRequestError(url.href, failure, detail, { cause }));
      };
      const request = http.request(url, { method, agent: this.agent, headers: payload ? { 'Content-Length': payload.length } : {} }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            request.destroy();
            fail('oversized', `response over ${MAX_RESPONSE_BYTES} bytes`);
          } else chunks.push(chunk);
        });
        response.on('end', () => {
          timer.cancel();
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', (error) => fail('network', error.message, error));
      });
      const timer = this.clock.setTimer(this.timeoutMs, () => {
        request.destroy();
        fail('timeout', `no response within ${this.timeoutMs} ms`);
      });
      request.on('error', (error) => fail('network', error.message, error));
      request.end(payload);
    });
  }

  /** Throws `BrokerRequestError` (status) unless the response is a 200. */
  static expectOk(response: HttpResponse, url: string): HttpResponse {
    if (response.status !== 200) throw new BrokerRequestError(url, 'status', `HTTP ${response.status}`, { status: response.status });
    return response;
  }

  /** Closes idle keep-alive connections (only those of an agent this exchange made). */
  close(): void {
    if (this.ownsAgent) this.agent.destroy();
  }
}
