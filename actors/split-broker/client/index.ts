/**
 * `airlock/clients`: airlock's client library for the split broker. Register by any method
 * (HTTP, AMP cache, DNS), sealed for the Oracle and its signed answer verified; poll and answer
 * as a proxy. It loads no actor code (a client process never does): only this folder, the wire
 * formats and limits.ts. This list is pinned by spec/face.spec.ts.
 */
export { HttpRendezvousClient, type RendezvousClientOptions } from './http-client.ts';
export { AmpRendezvousClient } from './amp-client.ts';
export { DnsRendezvousClient, type DnsRendezvousOptions } from './dns-client.ts';
export { ProxyClient, type ProxyClientOptions, type ProxyRound } from './proxy-client.ts';
export { prepareRegistration, type PreparedRegistration, type RendezvousAnswer, type RendezvousOffer } from './prepare-registration.ts';
export { sealRegistration, type SealedRegistration } from './seal-registration.ts';
export { verifyAnswer } from './verify-answer.ts';
export type { HttpExchangeOptions } from './http-exchange.ts';
// A proxy's messages, for a proxy that carries them over its own transport.
export { proxyAnswerBody, proxyPollBody, readAnswerResponse, readProxyPollResponse, type ProxyIdentity } from './proxy.ts';

// What a failed rendezvous rejects with.
export { AnswerSignatureError, BrokerRequestError, RendezvousRefusedError, type BrokerFailure } from './errors.ts';
export { SnowflakeMessageError } from '../wire/errors.ts';
export { RegistrationEncodingError } from '../wire/errors.ts';

// The Oracle's public keys a client seals to, and what a client can be told.
export type { OraclePublicKeys } from '../oracle/keys.ts';
export type { NatType } from '../wire/nat.ts';
export type { ProxyMatch, ProxyPollResponse } from '../wire/proxy-messages.ts';
export { CLIENT_REQUEST_TIMEOUT_MS, STR_BRIDGE_NOT_FOUND, STR_BROKER_UNAVAILABLE, STR_NO_PROXIES, STR_TIMED_OUT } from '../limits.ts';
