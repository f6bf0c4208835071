/** The Matcher: Snowflake's pairing rules (`Matcher`, transport-free) and the actor that wraps them. */
export {
  CLIENT_TIMEOUT_MS,
  DEFAULT_BRIDGES,
  DEFAULT_RELAY_PATTERN,
  Matcher,
  PROXY_TIMEOUT_MS,
  type ClientResult,
  type MatcherOptions,
  type ProxyPollResult,
} from './matching.ts';
export { LabeledCounts, MatcherMetrics } from '../metrics/labeled-counts.ts';
export { ProxyHeap, type HeapEntry } from './proxy-heap.ts';
export { ClientOffer, ClientOfferReply, MatcherProtocol, ProxyPoll, ProxyPollReply } from './protocol.ts';
export { MatcherConfig, matcherActor } from './matcher-actor.ts';
export { exportMatcherMetrics } from '../metrics/matcher-metrics.ts';
