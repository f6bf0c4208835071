/** A node's loopback-only operations listener (Prometheus `/metrics`). */
export { OpsConfig, OpsProtocol, opsActor } from './ops-actor.ts';
