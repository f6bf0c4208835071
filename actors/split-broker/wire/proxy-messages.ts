import { z } from 'zod';
import { SnowflakeMessageError } from './errors.ts';
import { decodeGoStruct, goMarshal } from './go-json.ts';
import { parseNat, type NatType } from './nat.ts';

/** The proxy protocol version airlock speaks (Snowflake 2.5's `common/messages`). */
export const PROXY_PROTOCOL_VERSION = '1.3';

/** Proxy types Snowflake knows; any other is counted as "unknown" but still served. */
export const KNOWN_PROXY_TYPES = ['standalone', 'webext', 'badge', 'iptproxy'] as const;
export const UNKNOWN_PROXY_TYPE = 'unknown';

export const PROXY_CLIENT_MATCH = 'client match';
export const PROXY_NO_MATCH = 'no match';
export const PROXY_INCORRECT_RELAY_PATTERN = 'incorrect relay pattern';
export const ANSWER_SUCCESS = 'success';
export const ANSWER_CLIENT_GONE = 'client gone';

export interface ProxyPollRequest {
  sid: string;
  version: string;
  /** A known proxy type, or "unknown" for any other. */
  type: string;
  nat: NatType;
  clients: number;
  /** null when the proxy predates the relay-URL extension (the broker then refuses it). */
  acceptedRelayPattern: string | null;
}

/** A client's offer handed to a polling proxy. */
export interface ProxyMatch {
  offer: string;
  /** The client's NAT type. */
  nat: NatType;
  relayURL: string;
}

/** A poll response as a proxy reads it; `offer` is empty unless `status` is "client match". */
export interface ProxyPollResponse extends ProxyMatch {
  status: string;
}

export interface AnswerRequest {
  sid: string;
  answer: string;
}

const PollRequestWire = z.strictObject({
  Sid: z.string().optional(),
  Version: z.string().optional(),
  Type: z.string().optional(),
  NAT: z.string().optional(),
  Clients: z.number().int().optional(),
  AcceptedRelayPattern: z.string().optional(),
});

const PollResponseWire = z.strictObject({
  Status: z.string().optional(),
  Offer: z.string().optional(),
  NAT: z.string().optional(),
  RelayURL: z.string().optional(),
});

const AnswerRequestWire = z.strictObject({
  Version: z.string().optional(),
  Sid: z.string().optional(),
  Answer: z.string().optional(),
});

const AnswerResponseWire = z.strictObject({ Status: z.string().optional() });

const majorVersion = (version: string | undefined) => (version ?? '').split('.')[0];

export function encodeProxyPollRequest(request: Omit<ProxyPollRequest, 'version'>): string {
  return goMarshal({
    Sid: request.sid,
    Version: PROXY_PROTOCOL_VERSION,
    Type: request.type,
    NAT: request.nat,
    Clients: request.clients,
    AcceptedRelayPattern: request.acceptedRelayPattern ?? '',
  });
}

/** As Snowflake's DecodeProxyPollRequestWithRelayPrefix: any 1.x version, a non-empty Sid. */
export function decodeProxyPollRequest(text: string): ProxyPollRequest {
  const fail = (reason: string) => new SnowflakeMessageError('proxy-poll-request', reason);
  const decoded = decodeGoStruct(PollRequestWire, text);
  if (!decoded.ok) throw fail(decoded.reason);
  const wire = decoded.value;
  if (majorVersion(wire.Version) !== '1') throw fail('using unknown version');
  if (!wire.Sid) throw fail('no supplied session id');
  const nat = parseNat(wire.NAT);
  if (nat === undefined) throw fail('invalid NAT type');
  const known = (KNOWN_PROXY_TYPES as readonly string[]).includes(wire.Type ?? '');
  return {
    sid: wire.Sid,
    version: wire.Version ?? '',
    type: known ? (wire.Type as string) : UNKNOWN_PROXY_TYPE,
    nat,
    clients: wire.Clients ?? 0,
    acceptedRelayPattern: wire.AcceptedRelayPattern ?? null,
  };
}

export function encodeProxyMatch(match: ProxyMatch): string {
  return goMarshal({ Status: PROXY_CLIENT_MATCH, Offer: match.offer, NAT: match.nat, RelayURL: match.relayURL });
}

/** Every field is present, as Go marshals the struct. The "no match" a poll that timed out gets: `{"Status":"no match","Offer":"","NAT":"","RelayURL":""}`. */
export function encodeNoMatch(status: string = PROXY_NO_MATCH): string {
  return goMarshal({ Status: status, Offer: '', NAT: '', RelayURL: '' });
}

/** What a proxy reads back: the offer when matched; otherwise Snowflake's status as an error. */
export function decodeProxyPollResponse(text: string): ProxyPollResponse {
  const fail = (reason: string) => new SnowflakeMessageError('proxy-poll-response', reason);
  const decoded = decodeGoStruct(PollResponseWire, text);
  if (!decoded.ok) throw fail(decoded.reason);
  const wire = decoded.value;
  if (!wire.Status) throw fail('received invalid data');
  const nat = parseNat(wire.NAT) ?? 'unknown';
  const relayURL = wire.RelayURL ?? '';
  if (wire.Status === PROXY_CLIENT_MATCH) {
    if (!wire.Offer) throw fail('no supplied offer');
    return { status: PROXY_CLIENT_MATCH, offer: wire.Offer, nat, relayURL };
  }
  return { status: wire.Status, offer: '', nat, relayURL };
}

export function encodeAnswerRequest(request: AnswerRequest): string {
  return goMarshal({ Version: PROXY_PROTOCOL_VERSION, Sid: request.sid, Answer: request.answer });
}

export function decodeAnswerRequest(text: string): AnswerRequest {
  const fail = (reason: string) => new SnowflakeMessageError('answer-request', reason);
  const decoded = decodeGoStruct(AnswerRequestWire, text);
  if (!decoded.ok) throw fail(decoded.reason);
  const wire = decoded.value;
  if (majorVersion(wire.Version) !== '1') throw fail('using unknown version');
  if (!wire.Sid || !wire.Answer) throw fail('no supplied sid or answer');
  return { sid: wire.Sid, answer: wire.Answer };
}

export type AnswerStatus = typeof ANSWER_SUCCESS | typeof ANSWER_CLIENT_GONE;

export function encodeAnswerResponse(status: AnswerStatus): string {
  return goMarshal({ Status: status });
}

/** True when the client took the answer, false when it had gone (any other status too, as Snowflake). */
export function decodeAnswerResponse(text: string): boolean {
  const decoded = decodeGoStruct(AnswerResponseWire, text);
  if (!decoded.ok) throw new SnowflakeMessageError('answer-response', decoded.reason);
  if (!decoded.value.Status) throw new SnowflakeMessageError('answer-response', 'received invalid data');
  return decoded.value.Status === ANSWER_SUCCESS;
}
