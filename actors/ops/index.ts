/**
 * A node's operations: its loopback-only `/metrics` listener (`opsActor`) and its own Prometheus
 * registry, which the node's actors fill through `counter` and `gauge` (given in their config as
 * a `MetricsRegistry`, never prom-client's global one).
 */
export { OpsConfig, opsActor } from './ops-actor.ts';
export { OpsProtocol } from './protocol.ts';
export { MetricsRegistry, Registry, counter, gauge } from './node-metrics.ts';
