import { Counter, Gauge, Registry } from 'prom-client';
import { z } from 'zod';

/**
 * A node's own Prometheus registry, given to its actors in their config (never prom-client's
 * global default, so several nodes in one process keep their figures apart).
 */
export const MetricsRegistry = z.custom<Registry>((value) => value instanceof Registry, 'a prom-client Registry');

/** Metric families outlive incarnations: a restarted actor finds and reuses the ones it made. */
export function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

export function gauge<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  return (registry.getSingleMetric(name) as Gauge<L> | undefined) ?? new Gauge({ name, help, labelNames, registers: [registry] });
}

export { Registry };
