import sodium from 'sodium-native';
import type { Clock } from '../../../lib/ports/clock.ts';
import { PROXY_CLIENT_MATCH, type NatType, type ProxyMatch } from '../wire/index.ts';
import { HttpExchange, type HttpExchangeOptions } from './http-exchange.ts';
import { proxyAnswerBody, proxyPollBody, readAnswerResponse, readProxyPollResponse } from './proxy.ts';

export interface ProxyClientOptions extends HttpExchangeOptions {
  nat: NatType;
  /** Defaults to `standalone`, as Snowflake's own proxy. */
  type?: string;
  /** Defaults to Snowflake's `snowflake.torproject.net$`; the broker refuses proxies whose pattern does not cover its relay's. */
  acceptedRelayPattern?: string;
  /** Clients served now, reported in each poll (default 0). */
  clients?: () => number;
  /** Produces the SDP answer to a client's offer. airlock never does WebRTC: the caller provides it. */
  answer: (match: ProxyMatch) => Promise<string> | string;
}

/** What one poll came to: no client (the broker's status, e.g. `no match`), or a client answered. */
export type ProxyRound =
  | { outcome: 'idle'; status: string }
  /** `delivered` is false when the broker said the client had gone. */
  | { outcome: 'answered'; match: ProxyMatch; delivered: boolean };

/**
 * A Snowflake proxy's side of the broker: `POST <base>/proxy` (a v1.3 poll) and, on a match,
 * `POST <base>/answer` with the caller's answer. Like Snowflake's proxy, it keeps its session id
 * across idle polls and draws a new one after each match. Failures reject with
 * `BrokerRequestError` or `SnowflakeMessageError`.
 */
export class ProxyClient {
  private readonly http: HttpExchange;
  private sid = randomSid();

  constructor(private readonly options: ProxyClientOptions) {
    this.http = new HttpExchange(options);
  }

  async pollOnce(): Promise<ProxyRound> {
    const poll = proxyPollBody({
      sid: this.sid,
      type: this.options.type,
      nat: this.options.nat,
      clients: this.options.clients?.() ?? 0,
      acceptedRelayPattern: this.options.acceptedRelayPattern,
    });
    const response = readProxyPollResponse((await this.post('proxy', poll)).text);
    if (response.status !== PROXY_CLIENT_MATCH) return { outcome: 'idle', status: response.status };
    const match: ProxyMatch = { offer: response.offer, nat: response.nat, relayURL: response.relayURL };
    const sid = this.sid;
    this.sid = randomSid();
    const answer = await this.options.answer(match);
    const delivered = readAnswerResponse((await this.post('answer', proxyAnswerBody(sid, answer))).text);
    return { outcome: 'answered', match, delivered };
  }

  /**
   * Polls until `signal` aborts, waiting `intervalMs` between polls (Snowflake's proxy: 5 s);
   * `onRound` sees each round. A failed poll rejects the loop: the caller decides what next.
   */
  async run(signal: AbortSignal, intervalMs: number, onRound: (round: ProxyRound) => void = () => {}): Promise<void> {
    while (!signal.aborted) {
      onRound(await this.pollOnce());
      if (intervalMs > 0 && !signal.aborted) await pause(this.http.clock, intervalMs, signal);
    }
  }

  close(): void {
    this.http.close();
  }

  private async post(path: string, body: string) {
    const url = new URL(path, this.http.baseUrl).href;
    return HttpExchange.expectOk(await this.http.request('POST', path, body), url);
  }
}

/** 16 random bytes in unpadded standard base64, the shape of Snowflake's session ids. */
function randomSid(): string {
  const bytes = Buffer.alloc(16);
  sodium.randombytes_buf(bytes);
  return bytes.toString('base64').replace(/=+$/, '');
}

function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = clock.setTimer(ms, done);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      timer.cancel();
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
