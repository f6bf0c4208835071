import type { Registry } from 'prom-client';
import { LATENCY_BUCKETS_MS, type ActorSystem, type Address, type TransportFigures } from '../../lib/index.ts';
import { ActorLabels } from './actor-labels.ts';
import { LabelTotals, type LabelFigures } from './label-totals.ts';
import { DEFAULT_MAX_ACTOR_LABELS } from './limits.ts';
import { SnapshotMetric, type MetricType, type Sample } from './snapshot-metric.ts';

export interface NodeMetricsOptions {
  /** Distinct `actor` label values (see limits.ts); the rest are `other`. */
  maxActorLabels?: number;
}

/** Where a node's figures come from: its system, and its dynamic supervisors (read at each scrape). */
export interface MetricsSource {
  readonly system: ActorSystem;
  readonly node: string;
  dynamicSupervisors(): Address[];
}

type PerLabel = (figures: LabelFigures) => number;

/** The per-actor families: name, type, help, and which figure of a label each one shows. */
const ACTOR_FAMILIES: readonly [string, MetricType, string, PerLabel][] = [
  ['airlock_mailbox_depth', 'gauge', 'Messages waiting in the mailbox', (f) => f.depth],
  ['airlock_mailbox_capacity', 'gauge', 'Mailbox bound (capacity), summed over the actors of the label', (f) => f.capacity],
  ['airlock_actors', 'gauge', 'Actors alive under the label (more than 1 for a dynamic supervisor\'s children or other)', (f) => f.actors],
  ['airlock_messages_received_total', 'counter', 'Messages that entered the mailbox', (f) => f.received],
  ['airlock_messages_handled_total', 'counter', 'Messages handled', (f) => f.handled],
  ['airlock_messages_failed_total', 'counter', 'Messages whose handler threw', (f) => f.failed],
  ['airlock_messages_refused_total', 'counter', 'Messages refused before reaching the actor (invalid, mailbox full, actor kept down)', (f) => f.refused],
  ['airlock_messages_dead_lettered_total', 'counter', 'Messages addressed to the actor that nobody will handle', (f) => f.deadLettered],
  ['airlock_actor_crashes_total', 'counter', 'Incarnations that ended in a failure', (f) => f.crashes],
  ['airlock_actor_restarts_total', 'counter', 'Restarts (starts after an exit of its own or an operator\'s restart)', (f) => f.restarts],
];

/** The transport families, each shown only when the transport has the figure. */
const TRANSPORT_FAMILIES: readonly [string, MetricType, string, keyof TransportFigures][] = [
  ['airlock_transport_published_total', 'counter', 'Messages handed to the broker', 'published'],
  ['airlock_transport_publish_confirms_total', 'counter', 'Publishes the broker confirmed', 'confirmed'],
  ['airlock_transport_publish_nacks_total', 'counter', 'Publishes the broker refused (nacked)', 'nacked'],
  ['airlock_transport_unconfirmed', 'gauge', 'Publishes waiting for a confirm', 'unconfirmed'],
  ['airlock_transport_redeliveries_total', 'counter', 'Deliveries the broker flagged as delivered before', 'redelivered'],
  ['airlock_transport_duplicates_total', 'counter', 'Deliveries dropped by the dedupe window', 'duplicates'],
  ['airlock_transport_refused_total', 'counter', 'Deliveries refused on arrival (malformed, oversized, invalid)', 'refused'],
  ['airlock_transport_reconnects_total', 'counter', 'Connections to the broker made after the first was lost', 'reconnects'],
];

/**
 * A node's airlock_* families on its Prometheus registry. Nothing is counted for them on the hot
 * path: each scrape reads the figures the cells keep anyway (`system.actorStats`) once, sums
 * them per bounded `actor` label (see actor-labels.ts, label-totals.ts) and the transport's and
 * system's totals. The system and transport figures are the process's: nodes sharing one
 * process (and one system) show the same ones.
 */
export class NodeMetrics {
  private readonly labels: ActorLabels;
  private readonly totals = new LabelTotals();
  private reading: Map<string, LabelFigures> | undefined;
  private controlRefused = 0;

  constructor(
    registry: Registry,
    private readonly source: MetricsSource,
    options: NodeMetricsOptions = {},
  ) {
    this.labels = new ActorLabels(options.maxActorLabels ?? DEFAULT_MAX_ACTOR_LABELS);
    const { system } = source;
    system.on('control-refused').subscribe(() => this.controlRefused++);
    for (const [name, type, help, figure] of ACTOR_FAMILIES) {
      new SnapshotMetric(registry, name, help, type, () => [...this.read()].map(([actor, figures]) => ({ value: figure(figures), labels: { actor } })));
    }
    new SnapshotMetric(registry, 'airlock_ask_duration_seconds', 'Time from the actor taking an ask from its mailbox to its answer going out', 'histogram', () => this.askSamples());
    const counters = system.counters;
    const processWide: [string, string, () => number][] = [
      ['airlock_dead_letters_total', 'Messages nobody will handle, in this process (unknown addresses included)', () => counters.deadLettered],
      ['airlock_refused_total', 'Messages refused before delivery, in this process (unknown addresses included)', () => counters.rejected],
      ['airlock_replies_dropped_total', 'Replies that reached no pending ask, in this process', () => counters.droppedReplies],
      ['airlock_control_refused_total', 'Control requests refused, in this process', () => this.controlRefused],
    ];
    for (const [name, help, value] of processWide) new SnapshotMetric(registry, name, help, 'counter', () => [{ value: value(), labels: {} }]);
    const transport = system.transport;
    const figures = transport.figures?.();
    for (const [name, type, help, key] of TRANSPORT_FAMILIES) {
      if (figures?.[key] === undefined) continue;
      new SnapshotMetric(registry, name, help, type, () => [{ value: transport.figures?.()[key] ?? 0, labels: { transport: transport.name } }]);
    }
  }

  /** One reading per scrape: every family of one `registry.metrics()` call asks in the same tick. */
  private read(): Map<string, LabelFigures> {
    if (this.reading) return this.reading;
    const { system, node } = this.source;
    const dynamic = this.source.dynamicSupervisors();
    const reading = this.totals.update(system.actorStats(node), (address) => this.labels.labelOf(address, dynamic));
    this.reading = reading;
    queueMicrotask(() => (this.reading = undefined));
    return reading;
  }

  private askSamples(): Sample[] {
    const samples: Sample[] = [];
    for (const [actor, { asks }] of this.read()) {
      let cumulative = 0;
      LATENCY_BUCKETS_MS.forEach((bound, i) => {
        cumulative += asks.counts[i];
        samples.push({ metricName: 'airlock_ask_duration_seconds_bucket', value: cumulative, labels: { actor, le: bound / 1000 } });
      });
      samples.push({ metricName: 'airlock_ask_duration_seconds_bucket', value: asks.count, labels: { actor, le: '+Inf' } });
      samples.push({ metricName: 'airlock_ask_duration_seconds_sum', value: asks.sumMs / 1000, labels: { actor } });
      samples.push({ metricName: 'airlock_ask_duration_seconds_count', value: asks.count, labels: { actor } });
    }
    return samples;
  }
}
