/** Prometheus figures of the split broker, one registry per node (prom-client). */
export { MetricsRegistry, Registry, counter, gauge } from '../../ops/node-metrics.ts';
export { RegistrarMetrics, type RefusalReason } from './registrar-metrics.ts';
