import { z } from 'zod';
import { defineActor } from '../../lib/actor.ts';
import { serveMetrics } from '../../lib/metrics-endpoint.ts';
import { MetricsRegistry } from './node-metrics.ts';
import { OpsProtocol } from './protocol.ts';

const LOOPBACK = ['127.0.0.1', '::1', 'localhost'] as const;

export const OpsConfig = z.strictObject({
  /** Loopback only: the figures are for the operator on this host, never the internet. */
  host: z.enum(LOOPBACK).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535),
  /** The node's registry, which its actors fill. */
  metrics: MetricsRegistry,
});

/** A node's ops listener: `GET /metrics` serves the node's registry as Prometheus text. */
export const opsActor = defineActor({
  protocol: OpsProtocol,
  config: OpsConfig,
  async setup(ctx) {
    const service = await serveMetrics(ctx, { host: ctx.config.host, port: ctx.config.port }, ctx.config.metrics);
    return { where: () => service.address };
  },
});
