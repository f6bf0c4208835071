/**
 * The tunnel contract: everything the Float and the BridgeManager must agree on, and nothing
 * else. The BridgeManager dials the Float's tunnel listener, opens a receiver on `TUNNEL.inbound`
 * and a sender on `TUNNEL.control`, and sends an `Activation`; the Float then opens its public
 * listener and forwards each peer message on `TUNNEL.inbound` with the `FORWARDED` properties.
 */
export { TUNNEL } from './link-addresses.ts';
export { FORWARDED } from './forwarded-properties.ts';
export { ALREADY_ACTIVE, TUNNEL_CONDITIONS } from './conditions.ts';
export { Activation, ActivationRefusedError, PublicTls, admittedBytes, type ActivationInput } from './activation.ts';
export { decodeActivation, encodeActivation } from './activation-codec.ts';
