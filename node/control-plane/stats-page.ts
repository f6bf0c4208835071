import type { ActorStats } from '../../lib/actor-stats.ts';
import { LATENCY_BUCKETS_MS, type LatencyHistogram } from '../../lib/latency-histogram.ts';
import { DEFAULT_STATS_PAGE, type ActorStatsWire, type StatsRequest } from './control-protocol.ts';

/** One page of a `stats` reply: the actors after `request.after`, in address order, at most `limit`. */
export function statsPage(all: readonly ActorStats[], request: StatsRequest): { actors: ActorStatsWire[]; next?: string } {
  const limit = request.limit ?? DEFAULT_STATS_PAGE;
  const after = request.after;
  const sorted = all.filter((stats) => after === undefined || stats.address > after).sort((a, b) => (a.address < b.address ? -1 : 1));
  const page = sorted.slice(0, limit);
  const more = sorted.length > limit;
  return { actors: page.map(toWire), ...(more ? { next: page[page.length - 1].address } : {}) };
}

export const STATS_BUCKETS_MS: readonly number[] = LATENCY_BUCKETS_MS;

function toWire(stats: ActorStats): ActorStatsWire {
  const { asks, ...rest } = stats;
  return { ...rest, asks: histogramToWire(asks) };
}

function histogramToWire(histogram: LatencyHistogram): ActorStatsWire['asks'] {
  const p50 = histogram.quantileMs(0.5);
  const p99 = histogram.quantileMs(0.99);
  return {
    count: histogram.count,
    sumMs: histogram.sumMs,
    ...(p50 === undefined ? {} : { p50Ms: quantile(p50) }),
    ...(p99 === undefined ? {} : { p99Ms: quantile(p99) }),
    buckets: [...histogram.counts],
  };
}

/** Infinity does not survive JSON: past the last bound is Prometheus' `+Inf`. */
function quantile(ms: number): number | '+Inf' {
  return Number.isFinite(ms) ? ms : '+Inf';
}
