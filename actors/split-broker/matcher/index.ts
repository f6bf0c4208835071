/** The Matcher: Snowflake's pairing rules (`Matcher`, transport-free) and the actor that wraps them. */
export {
  DEFAULT_BRIDGES,
  Matcher,
  type ClientResult,
  type MatcherFigures,
  type MatcherOptions,
  type ProxyPollResult,
} from './matching.ts';
export { ProxyHeap, type HeapEntry } from './proxy-heap.ts';
export { ClientOffer, ClientOfferReply, MatcherProtocol, ProxyPoll, ProxyPollReply, WithdrawPoll } from './protocol.ts';
export { MatcherConfig, matcherActor } from './matcher-actor.ts';
