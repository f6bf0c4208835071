/** The BridgeManager: dials the active Float, activates it, and bridges inbound and outbound. */
export { bridgeManager } from './bridge-manager.ts';
export { BridgeManagerConfig, type BridgeManagerConfigInput, type FloatEndpoint } from './config.ts';
