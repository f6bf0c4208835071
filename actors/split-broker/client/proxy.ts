import {
  KNOWN_PROXY_TYPES,
  decodeAnswerResponse,
  decodeProxyPollResponse,
  encodeAnswerRequest,
  encodeProxyPollRequest,
  type NatType,
  type ProxyPollResponse,
} from '../wire/index.ts';
import { DEFAULT_RELAY_PATTERN } from '../limits.ts';

export interface ProxyIdentity {
  /** The session id, fresh per poll in Snowflake's proxy. */
  sid: string;
  type?: (typeof KNOWN_PROXY_TYPES)[number] | string;
  nat: NatType;
  /** Clients currently served (Snowflake's proxy rounds down to multiples of 8). */
  clients?: number;
  /** Relay host names this proxy accepts; the broker refuses proxies that do not cover its own. */
  acceptedRelayPattern?: string;
}

/** The `POST /proxy` body of a v1.3 poll. */
export function proxyPollBody(proxy: ProxyIdentity): string {
  return encodeProxyPollRequest({
    sid: proxy.sid,
    type: proxy.type ?? 'standalone',
    nat: proxy.nat,
    clients: proxy.clients ?? 0,
    acceptedRelayPattern: proxy.acceptedRelayPattern ?? DEFAULT_RELAY_PATTERN,
  });
}

/** Reads a poll response: a match carries the client's offer, NAT and the relay to use. */
export function readProxyPollResponse(body: string): ProxyPollResponse {
  return decodeProxyPollResponse(body);
}

/** The `POST /answer` body. */
export function proxyAnswerBody(sid: string, answer: string): string {
  return encodeAnswerRequest({ sid, answer });
}

/** True when the client received the answer, false when it had gone. */
export function readAnswerResponse(body: string): boolean {
  return decodeAnswerResponse(body);
}
