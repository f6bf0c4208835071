/**
 * airlock's client library for the split broker: seal a registration for the Oracle, send it by
 * any method (HTTP, AMP cache, DNS), verify its signed answer; poll and answer as a proxy.
 */
export { AnswerSignatureError, BrokerRequestError, RendezvousRefusedError, type BrokerFailure } from './errors.ts';
export { sealRegistration, type SealedRegistration } from './seal-registration.ts';
export { verifyAnswer } from './verify-answer.ts';
export { prepareRegistration, type RendezvousOffer, type PreparedRegistration, type RendezvousAnswer } from './prepare-registration.ts';
export { HttpExchange, type HttpExchangeOptions, type HttpResponse } from './http-exchange.ts';
export { HttpRendezvousClient, type RendezvousClientOptions } from './http-client.ts';
export { AmpRendezvousClient } from './amp-client.ts';
export { DnsRendezvousClient, type DnsRendezvousOptions } from './dns-client.ts';
export { ProxyClient, type ProxyClientOptions, type ProxyRound } from './proxy-client.ts';
export { proxyAnswerBody, proxyPollBody, readAnswerResponse, readProxyPollResponse, type ProxyIdentity } from './proxy.ts';
