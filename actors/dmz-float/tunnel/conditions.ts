/**
 * The AMQP conditions the Float answers on the tunnel, beyond the ones the Links port names
 * (`CONDITIONS`): what a BridgeManager sees in its log, and a second, passive one is told while
 * another holds the Float.
 */
export const TUNNEL_CONDITIONS = {
  /** Another BridgeManager's activation holds this Float: one at a time (hot-warm failover). */
  alreadyActive: 'amqp:resource-locked',
  /** An activation before the BridgeManager opened its receiver on `TUNNEL.inbound`. */
  inboundFirst: 'amqp:precondition-failed',
  /** The public listener did not open with the activation's key and certificate. */
  publicListenerFailed: 'amqp:internal-error',
} as const;

/** Why a second BridgeManager is refused while one is active (its log, and the Float's audit line). */
export const ALREADY_ACTIVE = 'this float is already active for a bridge manager';
