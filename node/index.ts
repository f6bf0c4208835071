/**
 * The composition root's face: the topology value, `run()` (which wires supervision trees to
 * transports on one system), and the control plane every node answers on. The `airlock` command
 * and the simulation build nodes through it.
 */
export * from './topology.ts';
export * from './run.ts';
export * from './control-plane/index.ts';
export { NodeMetrics, type NodeMetricsOptions, type MetricsSource } from './metrics/node-metrics.ts';
export { DEFAULT_MAX_ACTOR_LABELS, OTHER_ACTORS, DYNAMIC_CHILDREN_SUFFIX } from './metrics/limits.ts';
export { MetricsListenerProtocol, OPS_SEGMENT, type LoopbackHost } from './metrics/metrics-listener.ts';
