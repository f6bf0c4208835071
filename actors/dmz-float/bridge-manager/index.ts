/** The BridgeManager: dials the active Float, activates it, and bridges inbound and outbound. */
export { bridgeManagerActor } from './bridge-manager.ts';
export { BridgeManagerConfig, FloatEndpoint, type BridgeManagerConfigInput } from './config.ts';
export { PeerInboxProtocol } from './protocol.ts';
