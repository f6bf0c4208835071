/** The Matcher's domain core: Snowflake's pairing rules, transport-free. The Matcher actor wraps it. */
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
export { LabeledCounts, MatcherMetrics } from './labeled-counts.ts';
export { ProxyHeap, type HeapEntry } from './proxy-heap.ts';
