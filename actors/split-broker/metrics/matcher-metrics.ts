import type { Registry } from 'prom-client';
import { counter, gauge } from '../../ops/node-metrics.ts';
import type { LabeledCounts, MatcherMetrics } from './labeled-counts.ts';

/** Which incarnation's figures a node's registry reads: the live Matcher's. */
const liveMetrics = new WeakMap<Registry, MatcherMetrics>();

/**
 * Exports a Matcher's figures under Snowflake's broker metric names, read from the live
 * incarnation whenever the registry is scraped (a restart starts them again from zero, as a
 * restarted broker process would).
 */
export function exportMatcherMetrics(registry: Registry, metrics: MatcherMetrics): void {
  const first = !liveMetrics.has(registry);
  liveMetrics.set(registry, metrics);
  if (!first) return;
  const read = (pick: (live: MatcherMetrics) => LabeledCounts<string>) => () => pick(liveMetrics.get(registry)!).entries();
  mirror(gauge(registry, 'snowflake_available_proxies', 'Proxies waiting for a client, by NAT and proxy type', ['nat', 'type']), read((m) => m.availableProxies));
  mirror(counter(registry, 'snowflake_proxy_poll_total', 'Proxy polls by NAT, proxy type and outcome (matched, idle, rejected-relay-pattern)', ['nat', 'type', 'status']), read((m) => m.proxyPolls));
  mirror(counter(registry, 'snowflake_client_poll_total', 'Client polls by NAT and outcome (matched, denied, timeout, unknown-bridge)', ['nat', 'status']), read((m) => m.clientPolls));
  mirror(counter(registry, 'snowflake_proxy_answer_total', 'Proxy answers by outcome (success, client gone)', ['status']), read((m) => m.proxyAnswers));
}

interface Settable {
  reset(): void;
  collect?: () => void;
}

/** Copies the counts into the metric each time it is collected. */
function mirror(metric: Settable, entries: () => { labels: Record<string, string>; value: number }[]): void {
  const set = (metric as { set?: (labels: Record<string, string>, value: number) => void }).set?.bind(metric);
  const inc = (metric as { inc?: (labels: Record<string, string>, value: number) => void }).inc?.bind(metric);
  (metric as { collect?: () => void }).collect = () => {
    metric.reset();
    for (const { labels, value } of entries()) (set ?? inc)!(labels, value);
  };
}
