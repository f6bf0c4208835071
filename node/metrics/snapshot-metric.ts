import type { Registry } from 'prom-client';

export type MetricType = 'counter' | 'gauge' | 'histogram';

/** One sample: `metricName` for a histogram's `_bucket`, `_sum` and `_count` lines. */
export interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/**
 * A family whose samples are read at scrape time from figures the runtime keeps anyway, so the
 * hot path pays nothing for Prometheus (prom-client's own Counter would cost a label lookup per
 * message). It has the shape prom-client's registry asks of a metric (`name`, `get()`), which is
 * how a collector plugs into `registry.metrics()` alongside the node's other families.
 */
export class SnapshotMetric {
  readonly aggregator = 'sum';

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    readonly type: MetricType,
    private readonly samples: () => Sample[],
  ) {
    // A registry given again (a topology value run anew) gets this run's families in place of the last one's.
    registry.removeSingleMetric(name);
    // prom-client's registry accepts any object with the fields it reads (see registry.js).
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  get(): { name: string; help: string; type: MetricType; values: Sample[]; aggregator: string } {
    return { name: this.name, help: this.help, type: this.type, values: this.samples(), aggregator: this.aggregator };
  }
}
