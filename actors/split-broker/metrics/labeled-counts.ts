/**
 * Numbers kept per combination of label values (`{nat, type}` → 3), plain data that the actor
 * later copies into prom-client counters and gauges.
 */
export class LabeledCounts<L extends string> {
  private readonly values = new Map<string, { labels: Record<L, string>; value: number }>();

  constructor(readonly labelNames: readonly L[]) {}

  add(labels: Record<L, string>, by = 1): void {
    const key = this.labelNames.map((name) => labels[name]).join('\u0000');
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels: { ...labels }, value: by });
  }

  get(labels: Record<L, string>): number {
    return this.values.get(this.labelNames.map((name) => labels[name]).join('\u0000'))?.value ?? 0;
  }

  entries(): { labels: Record<L, string>; value: number }[] {
    return [...this.values.values()].map((entry) => ({ labels: { ...entry.labels }, value: entry.value }));
  }
}

/** The matcher's figures, named after Snowflake's broker metrics. */
export class MatcherMetrics {
  /** Proxies waiting right now (a gauge), by NAT and proxy type. */
  readonly availableProxies = new LabeledCounts(['nat', 'type'] as const);
  /** Proxy polls by outcome: matched, idle (timed out or superseded), rejected-relay-pattern. */
  readonly proxyPolls = new LabeledCounts(['nat', 'type', 'status'] as const);
  /** Client polls by outcome: matched, denied (no proxy), timeout, unknown-bridge. */
  readonly clientPolls = new LabeledCounts(['nat', 'status'] as const);
  /** Proxy answers by outcome: success, client gone. */
  readonly proxyAnswers = new LabeledCounts(['status'] as const);
}
