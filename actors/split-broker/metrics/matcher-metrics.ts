import { counter, gauge, Registry } from '../../ops/index.ts';
import type { MatcherFigures } from '../matcher/matching.ts';

/**
 * The Matcher's figures under Snowflake's broker metric names, on the node's registry (a private
 * one when the node gives none). The pure Matcher reports to it through `MatcherFigures`.
 */
export class MatcherMetrics implements MatcherFigures {
  private readonly available;
  private readonly proxyPolls;
  private readonly clientPolls;
  private readonly proxyAnswers;

  constructor(registry: Registry = new Registry()) {
    this.available = gauge(registry, 'snowflake_available_proxies', 'Proxies waiting for a client, by NAT and proxy type', ['nat', 'type']);
    this.proxyPolls = counter(registry, 'snowflake_proxy_poll_total', 'Proxy polls by NAT, proxy type and outcome (matched, idle, rejected-relay-pattern)', ['nat', 'type', 'status']);
    this.clientPolls = counter(registry, 'snowflake_client_poll_total', 'Client polls by NAT and outcome (matched, denied, timeout, unknown-bridge)', ['nat', 'status']);
    this.proxyAnswers = counter(registry, 'snowflake_proxy_answer_total', 'Proxy answers by outcome (success, client gone)', ['status']);
  }

  proxyWaiting(labels: { nat: string; type: string }, delta: 1 | -1): void {
    this.available.inc(labels, delta);
  }

  proxyPoll(labels: Parameters<MatcherFigures['proxyPoll']>[0]): void {
    this.proxyPolls.inc(labels);
  }

  clientPoll(labels: Parameters<MatcherFigures['clientPoll']>[0]): void {
    this.clientPolls.inc(labels);
  }

  proxyAnswer(labels: Parameters<MatcherFigures['proxyAnswer']>[0]): void {
    this.proxyAnswers.inc(labels);
  }
}
