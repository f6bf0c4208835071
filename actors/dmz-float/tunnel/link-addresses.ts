/**
 * The tunnel's link addresses: the BridgeManager opens both, on the one connection it dialled out
 * to the Float (nothing in the DMZ ever dials inward); the Float refuses a link at any other address.
 */
export const TUNNEL = {
  /** The BridgeManager sends its `Activation` here. */
  control: 'float/control',
  /** The BridgeManager receives the peers' messages here, and accepts each once the local broker has it. */
  inbound: 'float/inbound',
} as const;
