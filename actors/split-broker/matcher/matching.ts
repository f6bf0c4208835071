import type { Clock, Timer } from '../../../lib/ports/clock.ts';
import {
  ANSWER_CLIENT_GONE,
  ANSWER_SUCCESS,
  DEFAULT_BRIDGE_FINGERPRINT,
  PROXY_CLIENT_MATCH,
  PROXY_INCORRECT_RELAY_PATTERN,
  PROXY_NO_MATCH,
  RelayPattern,
  type AnswerStatus,
  type ClientPollRequest,
  type NatType,
  type ProxyMatch,
  type ProxyPollRequest,
} from '../wire/index.ts';
import { CLIENT_TIMEOUT_MS, DEFAULT_RELAY_PATTERN, PROXY_TIMEOUT_MS, STR_BRIDGE_NOT_FOUND, STR_NO_PROXIES, STR_TIMED_OUT } from '../limits.ts';
import { poolOf, poolsFor, type ProxyPool } from './nat-rules.ts';
import { ProxyHeap, type HeapEntry } from './proxy-heap.ts';

/** Snowflake's default bridge and the relay its proxies connect to. */
export const DEFAULT_BRIDGES: ReadonlyMap<string, string> = new Map([[DEFAULT_BRIDGE_FINGERPRINT, 'wss://snowflake.torproject.net/']]);

export type ProxyPollResult =
  | ({ status: typeof PROXY_CLIENT_MATCH } & ProxyMatch)
  | { status: typeof PROXY_NO_MATCH | typeof PROXY_INCORRECT_RELAY_PATTERN };

/** Exactly one of `answer` (the proxy's SDP answer) or `error` (one of Snowflake's strings). */
export type ClientResult = { answer: string } | { error: string };

/**
 * What the Matcher reports as it works, named after Snowflake's broker metrics: the actor gives
 * it the node's `MatcherMetrics` (metrics/), a spec a recorder. Labels are NAT and proxy type.
 */
export interface MatcherFigures {
  /** A proxy started (+1) or stopped (-1) waiting. */
  proxyWaiting(labels: { nat: string; type: string }, delta: 1 | -1): void;
  proxyPoll(labels: { nat: string; type: string; status: 'matched' | 'idle' | 'withdrawn' | 'rejected-relay-pattern' }): void;
  clientPoll(labels: { nat: string; status: 'matched' | 'denied' | 'timeout' | 'unknown-bridge' }): void;
  proxyAnswer(labels: { status: AnswerStatus }): void;
}

const UNCOUNTED: MatcherFigures = { proxyWaiting() {}, proxyPoll() {}, clientPoll() {}, proxyAnswer() {} };

export interface MatcherOptions {
  clock: Clock;
  proxyTimeoutMs?: number;
  clientTimeoutMs?: number;
  /** The relays this broker hands out; a proxy must accept at least these (Snowflake's -allowed-relay-pattern). */
  allowedRelayPattern?: string;
  /** Bridge fingerprint (hex, any case) → the relay URL a matched proxy connects to. */
  bridges?: ReadonlyMap<string, string>;
  /** Where the figures go; uncounted when absent. */
  figures?: MatcherFigures;
}

interface WaitingProxy extends HeapEntry {
  readonly sid: string;
  readonly ticket: string | undefined;
  readonly type: string;
  readonly nat: NatType;
  readonly heap: ProxyHeap<WaitingProxy>;
  readonly timer: Timer;
  readonly resolve: (result: ProxyPollResult) => void;
}

interface WaitingClient {
  readonly nat: NatType;
  readonly timer: Timer;
  readonly resolve: (result: ClientResult) => void;
}

/**
 * The core broker's rules, as Snowflake's `broker.go` and `ipc.go`, driven by calls and
 * promises so that an actor can wrap it. Proxies wait in a min-heap per pool, least-loaded
 * first, and clients are served from the pools Snowflake's NAT rules give (`nat-rules.ts`).
 * Unlike Tor's broker every wait ends: a poll in a match or "no match", a client in an answer
 * or a timeout, an answer in "success" or "client gone" at once.
 */
export class Matcher {
  private readonly pools: Record<ProxyPool, ProxyHeap<WaitingProxy>> = { unrestricted: new ProxyHeap(), restricted: new ProxyHeap() };
  private readonly waitingProxies = new Map<string, WaitingProxy>();
  private readonly waitingClients = new Map<string, WaitingClient>();
  private readonly clock: Clock;
  private readonly proxyTimeoutMs: number;
  private readonly clientTimeoutMs: number;
  private readonly relayPattern: RelayPattern;
  private readonly bridges: Map<string, string>;
  private readonly figures: MatcherFigures;
  private arrivals = 0;

  constructor(options: MatcherOptions) {
    this.clock = options.clock;
    this.figures = options.figures ?? UNCOUNTED;
    this.proxyTimeoutMs = options.proxyTimeoutMs ?? PROXY_TIMEOUT_MS;
    this.clientTimeoutMs = options.clientTimeoutMs ?? CLIENT_TIMEOUT_MS;
    this.relayPattern = new RelayPattern(options.allowedRelayPattern ?? DEFAULT_RELAY_PATTERN);
    const bridges = options.bridges ?? DEFAULT_BRIDGES;
    this.bridges = new Map([...bridges].map(([fingerprint, url]) => [fingerprint.toUpperCase(), url]));
  }

  /** Proxies waiting for a client right now. */
  get availableProxies(): number {
    return this.waitingProxies.size;
  }

  /** A proxy waits up to the poll timeout for a client's offer; `ticket` names this poll for `withdrawPoll`. */
  proxyPoll(request: ProxyPollRequest, ticket?: string): Promise<ProxyPollResult> {
    const labels = { nat: request.nat, type: request.type };
    if (!this.acceptsRelays(request.acceptedRelayPattern)) {
      this.figures.proxyPoll({ ...labels, status: 'rejected-relay-pattern' });
      return Promise.resolve({ status: PROXY_INCORRECT_RELAY_PATTERN });
    }
    // A proxy that polls again under the same session id replaces its earlier poll.
    const earlier = this.waitingProxies.get(request.sid);
    if (earlier) this.expireProxy(earlier);
    return new Promise((resolve) => {
      const heap = this.pools[poolOf(request.nat)];
      const proxy: WaitingProxy = {
        sid: request.sid,
        ticket,
        type: request.type,
        nat: request.nat,
        clients: request.clients,
        seq: this.arrivals++,
        index: -1,
        heap,
        resolve,
        timer: this.clock.setTimer(this.proxyTimeoutMs, () => this.expireProxy(proxy)),
      };
      heap.push(proxy);
      this.waitingProxies.set(proxy.sid, proxy);
      this.figures.proxyWaiting(labels, 1);
    });
  }

  /**
   * Takes back a poll whose proxy hung up, so no client is handed to it: its wait ends in "no
   * match" (which nobody reads). Only the poll with this ticket: a later poll of the same proxy
   * stays. False when that poll no longer waits (matched, expired or replaced meanwhile).
   */
  withdrawPoll(sid: string, ticket: string): boolean {
    const proxy = this.waitingProxies.get(sid);
    if (!proxy || proxy.ticket !== ticket) return false;
    this.endPoll(proxy, 'withdrawn');
    return true;
  }

  /** A client's offer goes to a waiting proxy at once, or is denied at once when none fits. */
  clientOffer(request: ClientPollRequest): Promise<ClientResult> {
    const relayURL = this.bridges.get(request.fingerprint.toUpperCase());
    if (relayURL === undefined) {
      this.figures.clientPoll({ nat: request.nat, status: 'unknown-bridge' });
      return Promise.resolve({ error: STR_BRIDGE_NOT_FOUND });
    }
    const proxy = this.takeProxyFor(request.nat);
    if (!proxy) {
      this.figures.clientPoll({ nat: request.nat, status: 'denied' });
      return Promise.resolve({ error: STR_NO_PROXIES });
    }
    this.figures.proxyPoll({ nat: proxy.nat, type: proxy.type, status: 'matched' });
    const superseded = this.waitingClients.get(proxy.sid);
    if (superseded) this.expireClient(proxy.sid, superseded);
    return new Promise((resolve) => {
      const client: WaitingClient = {
        nat: request.nat,
        resolve,
        timer: this.clock.setTimer(this.clientTimeoutMs, () => this.expireClient(proxy.sid, client)),
      };
      this.waitingClients.set(proxy.sid, client);
      proxy.resolve({ status: PROXY_CLIENT_MATCH, offer: request.offer, nat: request.nat, relayURL });
    });
  }

  /** A matched proxy's answer reaches its client, or "client gone" when the client left. */
  answer(sid: string, answer: string): AnswerStatus {
    const client = this.waitingClients.get(sid);
    if (!client) {
      this.figures.proxyAnswer({ status: ANSWER_CLIENT_GONE });
      return ANSWER_CLIENT_GONE;
    }
    client.timer.cancel();
    this.waitingClients.delete(sid);
    this.figures.proxyAnswer({ status: ANSWER_SUCCESS });
    this.figures.clientPoll({ nat: client.nat, status: 'matched' });
    client.resolve({ answer });
    return ANSWER_SUCCESS;
  }

  /** Ends every wait (polls: "no match", clients: timed out) and cancels every timer. */
  dispose(): void {
    for (const proxy of [...this.waitingProxies.values()]) this.expireProxy(proxy);
    for (const [sid, client] of [...this.waitingClients]) this.expireClient(sid, client);
  }

  private acceptsRelays(pattern: string | null): boolean {
    return pattern !== null && new RelayPattern(pattern).isSupersetOf(this.relayPattern);
  }

  private takeProxyFor(clientNat: NatType): WaitingProxy | undefined {
    for (const pool of poolsFor(clientNat)) {
      const proxy = this.pools[pool].pop();
      if (proxy) {
        this.leave(proxy);
        return proxy;
      }
    }
    return undefined;
  }

  private expireProxy(proxy: WaitingProxy): void {
    this.endPoll(proxy, 'idle');
  }

  private endPoll(proxy: WaitingProxy, status: 'idle' | 'withdrawn'): void {
    proxy.heap.remove(proxy);
    this.leave(proxy);
    this.figures.proxyPoll({ nat: proxy.nat, type: proxy.type, status });
    proxy.resolve({ status: PROXY_NO_MATCH });
  }

  private leave(proxy: WaitingProxy): void {
    proxy.timer.cancel();
    this.waitingProxies.delete(proxy.sid);
    this.figures.proxyWaiting({ nat: proxy.nat, type: proxy.type }, -1);
  }

  private expireClient(sid: string, client: WaitingClient): void {
    client.timer.cancel();
    if (this.waitingClients.get(sid) === client) this.waitingClients.delete(sid);
    this.figures.clientPoll({ nat: client.nat, status: 'timeout' });
    client.resolve({ error: STR_TIMED_OUT });
  }
}
