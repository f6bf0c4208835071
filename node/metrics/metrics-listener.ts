import type { Registry } from 'prom-client';
import { z } from 'zod';
import { defineActor, defineProtocol, serveMetrics } from '../../lib/index.ts';

/** The ops listener takes no work through its mailbox (Prometheus scrapes it over HTTP): it says where it listens. */
export const MetricsListenerProtocol = defineProtocol('airlock.metrics', {
  where: { body: z.strictObject({}), reply: z.strictObject({ host: z.string(), port: z.number().int() }) },
});

/** The last segment of a node's metrics listener: `<node>/$ops`. */
export const OPS_SEGMENT = '$ops';

/** Loopback only: the figures are for the operator on this host, never the internet. */
export type LoopbackHost = '127.0.0.1' | '::1' | 'localhost';

/**
 * A node's ops listener, started by `run(…, { ops })`: `GET /metrics` serves the node's registry
 * as Prometheus text. It listens through the Network port as every actor does (so it runs in the
 * simulation too); the design folders' own `opsActor` (actors/ops) serves a registry given in a
 * tree's config through the same `serveMetrics`.
 */
export function metricsListener(registry: Registry, host: LoopbackHost, port: number) {
  return defineActor({
    protocol: MetricsListenerProtocol,
    async setup(ctx) {
      const service = await serveMetrics(ctx, { host, port }, registry);
      return { where: () => service.address };
    },
  });
}
