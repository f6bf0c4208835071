/**
 * The split broker's Prometheus figures, one class per actor, built the same way: families made
 * with the node's `counter`/`gauge` (actors/ops) on the registry the node gives in the actor's
 * config, so a restarted actor finds its families again and several nodes in one process keep
 * their figures apart.
 */
export { MatcherMetrics } from './matcher-metrics.ts';
export { OracleMetrics } from './oracle-metrics.ts';
export { RegistrarMetrics, type RefusalReason } from './registrar-metrics.ts';
